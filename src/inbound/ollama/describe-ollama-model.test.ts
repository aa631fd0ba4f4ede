import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeOllamaModel, ollamaFullName, ollamaModelCapabilities } from './describe-ollama-model.ts';

describe('describeOllamaModel', () => {
  it('gives chat and generate the capabilities it describes, and follows a served name whose model changed', () => {
    const entry = { servedName: 'changing', ollamaName: 'changing:latest', upstreamModel: 'gpt-oss-120b', capabilities: ['tools'] as ('tools' | 'thinking')[] };
    const first = ollamaModelCapabilities(entry);
    assert.deepEqual([first.capabilities, first.capabilitiesDeclared], [['completion', 'tools'], true]);
    assert.equal(ollamaModelCapabilities({ ...entry, capabilities: ['tools'] }), first, 'an equal entry finds the same description');
    const changed = ollamaModelCapabilities({ ...entry, capabilities: ['tools', 'thinking'] });
    assert.deepEqual(changed.capabilities, ['completion', 'tools', 'thinking']);
    assert.deepEqual(describeOllamaModel({ ...entry, capabilities: ['tools', 'thinking'] }, 0).capabilities, changed.capabilities);
    assert.deepEqual(ollamaModelCapabilities({ ...entry, upstreamModel: 'other', capabilities: undefined }).capabilitiesDeclared, false);
    assert.deepEqual(ollamaModelCapabilities(entry).capabilities, ['completion', 'tools']);
  });

  it('prefers the config (or provider) over the known family, and adds completion to a chat model', () => {
    const facts = describeOllamaModel({ servedName: 'fast', ollamaName: 'fast:latest', upstreamModel: 'gpt-oss-120b', contextLength: 65536, capabilities: ['tools', 'vision'] }, 0);
    assert.equal(facts.contextLength, 65536);
    assert.deepEqual(facts.capabilities, ['completion', 'tools', 'vision']);
    assert.equal(facts.capabilitiesDeclared, true);
    assert.equal(facts.architecture, 'gptoss');
  });

  it('falls back to the known family, and leaves an unknown context length unknown', () => {
    const known = describeOllamaModel({ servedName: 'llama3.1-8b', ollamaName: 'llama3.1-8b:latest', upstreamModel: 'llama3.1-8b', created: 1_721_692_800 }, 0);
    assert.deepEqual([known.architecture, known.contextLength, known.parameterSize, known.capabilitiesDeclared], ['llama', 131072, '8.0B', false]);
    assert.equal(known.modifiedAt, 1_721_692_800_000);
    const unknown = describeOllamaModel({ servedName: 'house-model', ollamaName: 'house-model:latest', upstreamModel: 'house-model-v2' }, 42);
    assert.deepEqual([unknown.architecture, unknown.contextLength, unknown.capabilities, unknown.modifiedAt], ['house', undefined, ['completion'], 42]);
  });

  it('gives a stable 64-hex digest per served name', () => {
    const one = describeOllamaModel({ servedName: 'a', ollamaName: 'a:latest', upstreamModel: 'a' }, 0).digest;
    assert.match(one, /^[0-9a-f]{64}$/);
    assert.equal(describeOllamaModel({ servedName: 'a', ollamaName: 'a:latest', upstreamModel: 'x' }, 5).digest, one);
    assert.notEqual(describeOllamaModel({ servedName: 'b', ollamaName: 'b:latest', upstreamModel: 'a' }, 0).digest, one);
  });

  it('describes each entry by its own facts, however often and in whatever order it is asked', () => {
    const base = { servedName: 'n', ollamaName: 'n:latest', upstreamModel: 'llama3.1-8b' };
    const guessed = describeOllamaModel(base, 1);
    const declared = describeOllamaModel({ ...base, capabilities: ['tools'] }, 2);
    const longer = describeOllamaModel({ ...base, contextLength: 8192 }, 3);
    // Names that would run together if their parts were simply joined stay apart.
    const joined = describeOllamaModel({ servedName: 'n\nllama3.1-8b', ollamaName: 'x', upstreamModel: 'house' }, 4);
    guessed.capabilities.push('embedding');
    const again = describeOllamaModel(base, 5);
    assert.deepEqual([again.capabilitiesDeclared, again.contextLength, again.capabilities, again.modifiedAt, again.entry], [false, 131072, ['completion', 'tools'], 5, base]);
    assert.deepEqual([declared.capabilitiesDeclared, declared.capabilities, declared.modifiedAt], [true, ['completion', 'tools'], 2]);
    assert.deepEqual([longer.contextLength, longer.modifiedAt], [8192, 3]);
    assert.deepEqual([joined.architecture, joined.contextLength], ['house', undefined]);
  });
});

describe('ollamaFullName', () => {
  it('names models as Ollama capability errors do', () => {
    assert.equal(ollamaFullName('qwen3'), 'registry.ollama.ai/library/qwen3:latest');
    assert.equal(ollamaFullName('qwen3:8b'), 'registry.ollama.ai/library/qwen3:8b');
    assert.equal(ollamaFullName('cerebras/gpt-oss-120b'), 'registry.ollama.ai/cerebras/gpt-oss-120b:latest');
  });
});
