import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { convertGeminiModel } from './convert-gemini-models.ts';

describe('convertGeminiModel', () => {
  it('takes the id without models/, the input token limit as context length and capabilities from the methods', () => {
    assert.deepEqual(
      convertGeminiModel({
        name: 'models/gemini-2.5-pro',
        displayName: 'Gemini 2.5 Pro',
        inputTokenLimit: 1048576,
        outputTokenLimit: 65536,
        supportedGenerationMethods: ['generateContent', 'countTokens', 'createCachedContent', 'batchGenerateContent'],
        thinking: true,
      }),
      { id: 'gemini-2.5-pro', ownedBy: 'google', capabilities: ['completion', 'tools', 'vision', 'thinking'], contextLength: 1048576, description: 'Gemini 2.5 Pro, up to 65536 output tokens' },
    );
    assert.deepEqual(convertGeminiModel({ name: 'models/text-embedding-004', supportedGenerationMethods: ['embedContent'], inputTokenLimit: 2048 }).capabilities, ['embedding']);
    assert.deepEqual(convertGeminiModel({ name: 'models/gemma-3-27b-it', supportedGenerationMethods: ['generateContent'] }).capabilities, ['completion']);
    assert.deepEqual(convertGeminiModel({ name: 'models/gemini-2.5-flash-image', supportedGenerationMethods: ['generateContent'] }).capabilities, ['completion', 'tools', 'vision', 'image']);
  });
});
