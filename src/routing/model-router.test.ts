import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GatewayError } from '../canonical/gateway-error.ts';
import { createLogger } from '../observability/create-logger.ts';
import { ScriptedProvider } from '../../test-support/scripted-provider.ts';
import { ModelCatalog } from './model-catalog.ts';
import { ModelRouter } from './model-router.ts';

const log = createLogger('silent');

function routerWith(config: ConstructorParameters<typeof ModelRouter>[0], providers: ScriptedProvider[]): ModelRouter {
  return new ModelRouter(config, providers, new ModelCatalog(providers, log));
}

describe('ModelRouter', () => {
  const cerebras = new ScriptedProvider('cerebras', [{ id: 'gpt-oss-120b', contextLength: 131072 }, { id: 'shared-model' }]);
  const poe = new ScriptedProvider('poe', [{ id: 'GPT-4o', capabilities: ['vision'] }, { id: 'shared-model' }]);
  const router = routerWith(
    {
      models: [
        { name: 'fast', target: 'cerebras/gpt-oss-120b' },
        { name: 'gpt-4o', targets: ['poe/GPT-4o', 'cerebras/gpt-oss-120b'], context_length: 128000, capabilities: ['tools'] },
      ],
      default_model: undefined,
    },
    [cerebras, poe],
  );

  it('routes an alias to its targets in order, with configured metadata winning', async () => {
    const resolved = await router.resolve('gpt-4o');
    assert.deepEqual(
      resolved.targets.map((target) => `${target.provider.id}/${target.upstreamModel}`),
      ['poe/GPT-4o', 'cerebras/gpt-oss-120b'],
    );
    assert.equal(resolved.contextLength, 128000);
    assert.deepEqual(resolved.capabilities, ['tools']);
  });

  it('answers resolveNow at once for a known alias, each time a model of its own over targets built once', async () => {
    const first = router.resolveNow('gpt-4o');
    const second = router.resolveNow('gpt-4o');
    assert.ok(!(first instanceof Promise) && !(second instanceof Promise));
    assert.notEqual(first, second);
    assert.equal(first.targets, second.targets);
    assert.deepEqual(
      first.targets.map((target) => `${target.provider.id}/${target.upstreamModel}`),
      ['poe/GPT-4o', 'cerebras/gpt-oss-120b'],
    );
  });

  it('rejects an unknown name through resolveNow rather than throwing', async () => {
    const pending = router.resolveNow('no-such-model');
    assert.ok(pending instanceof Promise);
    await assert.rejects(pending, (error: unknown) => error instanceof GatewayError && error.kind === 'not_found');
  });

  it('routes provider/model directly, even a model the provider does not list', async () => {
    const resolved = await router.resolve('cerebras/some-new-model');
    assert.equal(resolved.targets[0]?.provider.id, 'cerebras');
    assert.equal(resolved.targets[0]?.upstreamModel, 'some-new-model');
  });

  it('routes a bare model id a provider lists, taking its metadata', async () => {
    const resolved = await router.resolve('gpt-oss-120b');
    assert.equal(resolved.targets[0]?.provider.id, 'cerebras');
    assert.equal(resolved.contextLength, 131072);
  });

  it('answers 404 naming the known models for an unknown name', async () => {
    await assert.rejects(router.resolve('nope'), (error: unknown) => {
      assert.ok(error instanceof GatewayError);
      assert.equal(error.status, 404);
      assert.match(error.message, /^model 'nope' not found; known models: fast, gpt-4o, /);
      return true;
    });
  });

  it('sends unknown names to default_model when one is set', async () => {
    const withDefault = routerWith({ models: [{ name: 'fast', target: 'cerebras/gpt-oss-120b' }], default_model: 'fast' }, [cerebras]);
    const resolved = await withDefault.resolve('whatever');
    assert.equal(resolved.name, 'fast');
    assert.equal(resolved.targets[0]?.upstreamModel, 'gpt-oss-120b');
  });

  it('lists aliases, then unique ids bare and shared ids as provider/model', async () => {
    const names = (await router.list()).map((model) => model.name);
    assert.deepEqual(names, ['fast', 'gpt-4o', 'gpt-oss-120b', 'cerebras/shared-model', 'GPT-4o', 'poe/shared-model']);
  });

  it('keeps working when a provider cannot list its models', async () => {
    const broken = new ScriptedProvider('broken');
    broken.listModels = async () => {
      throw new Error('connection refused');
    };
    const withBroken = routerWith({ models: [], default_model: undefined }, [broken, cerebras]);
    assert.deepEqual((await withBroken.list()).map((model) => model.name), ['gpt-oss-120b', 'shared-model']);
    assert.equal((await withBroken.resolve('broken/x')).targets[0]?.upstreamModel, 'x');
    assert.deepEqual(withBroken.catalogFailures(), [{ providerId: 'broken', message: 'connection refused' }]);
    await assert.rejects(withBroken.resolve('nope'), /; could not list the models of provider 'broken': connection refused$/);
  });

  it('says a configured provider listed nothing, rather than that nothing is configured', async () => {
    const silent = new ScriptedProvider('silent');
    await assert.rejects(routerWith({ models: [], default_model: undefined }, [silent]).resolve('x'), /: model 'x' not found; no provider listed any models$/);
  });

  it("resolves 'name:latest' (as Ollama clients send it) to 'name' on every route", async () => {
    const resolved = await router.resolve('fast:latest');
    assert.equal(resolved.name, 'fast:latest');
    assert.equal(resolved.targets[0]?.upstreamModel, 'gpt-oss-120b');
    assert.equal((await router.resolve('gpt-oss-120b:latest')).targets[0]?.provider.id, 'cerebras');
    await assert.rejects(router.resolve('nope:latest'), /model 'nope:latest' not found/);
  });

  it('routes names matching a wildcard alias, after exact names and before default_model', async () => {
    const wild = routerWith(
      {
        models: [
          { name: 'fast', target: 'cerebras/gpt-oss-120b' },
          { name: 'claude-*', targets: ['poe/Claude-*', 'cerebras/gpt-oss-120b'] },
          { name: '*', target: 'poe/*' },
        ],
        default_model: 'fast',
      },
      [cerebras, poe],
    );
    const claude = await wild.resolve('claude-sonnet-4');
    assert.deepEqual(claude.targets.map((target) => `${target.provider.id}/${target.upstreamModel}`), ['poe/Claude-sonnet-4', 'cerebras/gpt-oss-120b']);
    assert.equal((await wild.resolve('Private-Bot')).targets[0]?.upstreamModel, 'Private-Bot');
    assert.equal((await wild.resolve('gpt-oss-120b')).targets[0]?.provider.id, 'cerebras', 'a listed model wins over a pattern');
    assert.equal(await wild.tryResolve('Private-Bot'), undefined, 'look-ups for listing and Ollama show do not match patterns');
    assert.ok(!(await wild.list()).some((model) => model.name.includes('*')), 'patterns are not listed');
  });

  it('says how to add a provider when nothing is configured', async () => {
    const empty = routerWith({ models: [], default_model: undefined }, []);
    await assert.rejects(empty.resolve('llama3'), /no models are configured/);
  });
});
