import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findKnownModelFamily } from './known-model-families.ts';

describe('findKnownModelFamily', () => {
  it('knows Cerebras model ids', () => {
    assert.deepEqual(findKnownModelFamily('gpt-oss-120b'), {
      architecture: 'gptoss',
      contextLength: 131072,
      capabilities: ['completion', 'tools', 'thinking'],
      parameterSize: '116.8B',
    });
    const llama = findKnownModelFamily('llama3.1-8b');
    assert.equal(llama?.architecture, 'llama');
    assert.equal(llama?.parameterSize, '8.0B');
    assert.ok(llama?.capabilities.includes('tools'));
    const qwen = findKnownModelFamily('qwen-3-235b-a22b-instruct-2507');
    assert.equal(qwen?.architecture, 'qwen3moe');
    assert.equal(qwen?.contextLength, 262144);
    assert.equal(qwen?.capabilities.includes('thinking'), false);
  });

  it('ignores provider prefixes, tags and case', () => {
    assert.equal(findKnownModelFamily('cerebras/qwen-3-32b')?.architecture, 'qwen3');
    assert.equal(findKnownModelFamily('llama3.2:1b')?.parameterSize, '1.2B');
    assert.equal(findKnownModelFamily('qwen3:0.6b')?.parameterSize, '751.63M');
    assert.deepEqual(findKnownModelFamily('Claude-Sonnet-4')?.capabilities, ['completion', 'tools', 'vision', 'thinking']);
    assert.deepEqual(findKnownModelFamily('GPT-4o')?.capabilities, ['completion', 'tools', 'vision']);
  });

  it('puts embedding models before their chat siblings', () => {
    assert.deepEqual(findKnownModelFamily('qwen3-embedding:8b')?.capabilities, ['embedding']);
    assert.equal(findKnownModelFamily('nomic-embed-text:latest')?.embeddingLength, 768);
    assert.deepEqual(findKnownModelFamily('text-embedding-3-small')?.capabilities, ['embedding']);
  });

  it('returns a copy callers may change', () => {
    const first = findKnownModelFamily('gpt-4o');
    first?.capabilities.push('insert');
    assert.equal(findKnownModelFamily('gpt-4o')?.capabilities.includes('insert'), false);
  });

  it('says nothing of unknown models', () => {
    assert.equal(findKnownModelFamily('my-own-finetune'), undefined);
  });
});
