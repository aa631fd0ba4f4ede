import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { convertOpenAICompatibleModels } from './convert-openai-compatible-models.ts';

describe('convertOpenAICompatibleModels', () => {
  it('reads ids, dates (seconds or milliseconds), owners and context lengths', () => {
    assert.deepEqual(
      convertOpenAICompatibleModels({
        object: 'list',
        data: [
          { id: 'a', object: 'model', created: 1721692800, owned_by: 'Cerebras' },
          { id: 'b', created: 1715367049000, context_length: 131072, pricing: { prompt: '0' } },
          { id: 'c', created: 0, context_window: 8192, owned_by: '' },
          { id: 'd', max_model_len: 4096, description: 'local' },
        ],
      }),
      [
        { id: 'a', created: 1721692800, ownedBy: 'Cerebras' },
        { id: 'b', created: 1715367049, contextLength: 131072 },
        { id: 'c', contextLength: 8192 },
        { id: 'd', contextLength: 4096, description: 'local' },
      ],
    );
  });

  it('accepts a bare array and refuses anything else', () => {
    assert.deepEqual(convertOpenAICompatibleModels([{ id: 'x' }]), [{ id: 'x' }]);
    assert.throws(() => convertOpenAICompatibleModels({ models: [] }), /not an OpenAI model list/);
  });
});
