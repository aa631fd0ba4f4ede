import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parsePoeModelList } from './poe-model-list.ts';

describe('parsePoeModelList', () => {
  it('converts millisecond timestamps and reads capabilities from the modalities', () => {
    const models = parsePoeModelList({
      object: 'list',
      data: [
        { id: 'GPT-4o', object: 'model', created: 1715644800000, owned_by: 'OpenAI', description: 'Omni', architecture: { input_modalities: ['text', 'image'], output_modalities: ['text'] } },
        { id: 'GPT-Image-1', object: 'model', created: 1745884800000, owned_by: 'OpenAI', architecture: { input_modalities: ['text'], output_modalities: ['image'] } },
        { id: 'Old', object: 'model', created: 1700000000, owned_by: 'x', context_window: { context_length: 128000 } },
      ],
    });
    assert.deepEqual(models, [
      { id: 'GPT-4o', created: 1715644800, ownedBy: 'OpenAI', description: 'Omni', capabilities: ['completion', 'tools', 'vision'] },
      { id: 'GPT-Image-1', created: 1745884800, ownedBy: 'OpenAI', capabilities: ['image'] },
      { id: 'Old', created: 1700000000, ownedBy: 'x', contextLength: 128000, capabilities: ['completion', 'tools'] },
    ]);
  });

  it('marks reasoning bots as thinking, by name or known family', () => {
    const models = parsePoeModelList({ data: [{ id: 'Claude-Sonnet-4-Reasoning' }, { id: 'DeepSeek-R1' }, { id: 'o3' }, { id: 'Llama-3-70b' }] });
    assert.deepEqual(
      models.map((model) => model.capabilities?.includes('thinking')),
      [true, true, true, false],
    );
  });

  it('refuses a list of the wrong shape', () => {
    assert.throws(() => parsePoeModelList({ models: [] }), /unexpected shape/);
  });
});
