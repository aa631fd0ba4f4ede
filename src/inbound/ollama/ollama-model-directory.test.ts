import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLogger } from '../../observability/create-logger.ts';
import { ModelCatalog } from '../../routing/model-catalog.ts';
import { ModelRouter } from '../../routing/model-router.ts';
import { ScriptedProvider } from '../../../test-support/scripted-provider.ts';
import { OllamaModelDirectory } from './ollama-model-directory.ts';

const log = createLogger('silent');

describe('OllamaModelDirectory.resolveNow', () => {
  const cerebras = new ScriptedProvider('cerebras', [{ id: 'gpt-oss-120b', contextLength: 131072 }]);
  const router = new ModelRouter({ models: [{ name: 'fast', target: 'cerebras/gpt-oss-120b' }], default_model: 'fast' }, [cerebras], new ModelCatalog([cerebras], log));
  const directory = new OllamaModelDirectory(router);

  it('answers an alias at once, as resolve does, with the routing it found', async () => {
    const now = directory.resolveNow('fast');
    assert.ok(!(now instanceof Promise));
    assert.equal(now?.routed?.name, 'fast');
    const { routed, ...entry } = now ?? {};
    const later = await directory.resolve('fast');
    assert.deepEqual({ ...later, routed: undefined }, { ...entry, routed: undefined });
    assert.equal(routed?.targets[0]?.upstreamModel, 'gpt-oss-120b');
  });

  it('leaves to resolve what needs a search: a :latest tag in any case, provider/model names, unknown names', async () => {
    for (const name of ['fast:latest', 'FAST:Latest', 'cerebras/gpt-oss-120b', 'no-such-model', '  ']) {
      const now = directory.resolveNow(name);
      assert.ok(now instanceof Promise, name);
      assert.deepEqual(await now, await directory.resolve(name), name);
    }
    assert.equal((await directory.resolveNow('FAST:Latest'))?.servedName, 'fast');
    assert.equal((await directory.resolveNow('no-such-model'))?.standsInFor, 'no-such-model');
    assert.equal(await directory.resolveNow('  '), undefined);
  });
});
