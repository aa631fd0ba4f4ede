import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeModel } from './describe-model.ts';

describe('describeModel', () => {
  it('gives an image bot no completion, and a configured chat model its completion', () => {
    assert.deepEqual(describeModel({ upstreamModel: 'GPT-Image-1', name: 'GPT-Image-1', capabilities: ['vision', 'image'] }).capabilities, ['vision', 'image']);
    assert.deepEqual(describeModel({ upstreamModel: 'x', name: 'x', capabilities: ['tools', 'vision'] }).capabilities, ['completion', 'tools', 'vision']);
  });

  it('takes the context length from the config first, then the known families', () => {
    assert.equal(describeModel({ upstreamModel: 'gpt-oss-120b', name: 'fast' }).contextLength, 131072);
    assert.equal(describeModel({ upstreamModel: 'gpt-oss-120b', name: 'fast', contextLength: 8000 }).contextLength, 8000);
    assert.equal(describeModel({ upstreamModel: 'my-own-model', name: 'mine' }).contextLength, undefined);
  });
});
