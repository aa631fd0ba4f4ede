import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { convertOllamaModel } from './convert-ollama-models.ts';

describe('convertOllamaModel', () => {
  it("takes /api/show's capabilities and <architecture>.context_length, leaving out capabilities llmux has no name for", () => {
    assert.deepEqual(
      convertOllamaModel({
        name: 'gemma3:4b',
        modifiedAt: '2026-11-01T10:00:00.123456Z',
        show: {
          capabilities: ['completion', 'vision', 'audio'],
          details: { family: 'gemma3', parameter_size: '4.3B' },
          model_info: { 'general.architecture': 'gemma3', 'gemma3.context_length': 131072 },
        },
      }),
      { id: 'gemma3:4b', ownedBy: 'ollama', created: 1793527200, capabilities: ['completion', 'vision'], contextLength: 131072, description: 'gemma3 4.3B' },
    );
  });

  it('falls back to what /api/tags said when /api/show did not answer', () => {
    assert.deepEqual(convertOllamaModel({ name: 'llama3.2:latest', family: 'llama', parameterSize: '3.2B', capabilities: ['completion', 'tools'], contextLength: 8192 }), {
      id: 'llama3.2:latest',
      ownedBy: 'ollama',
      capabilities: ['completion', 'tools'],
      contextLength: 8192,
      description: 'llama 3.2B',
    });
  });
});
