import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FUZZ_ROUTES } from '../test-support/fuzz/fuzz-routes.ts';
import { runFuzz } from '../test-support/fuzz/run-fuzz.ts';
import { startFuzzGateway, type FuzzGateway } from '../test-support/fuzz/start-fuzz-gateway.ts';

/** Cases per route here; `npm run fuzz -- --count N` runs as many as asked. */
const CASES_PER_ROUTE = Number(process.env.LLMUX_FUZZ_CASES ?? 200);
/** Fixed, so a failure here is replayed with `npm run fuzz -- --seed 20261206 --route <path>`. */
const SEED = 20261206;

describe('fuzzed requests to every ingress route', () => {
  let fuzz: FuzzGateway;
  before(async () => {
    fuzz = await startFuzzGateway();
  });
  after(() => fuzz.close());

  it(`answers ${CASES_PER_ROUTE} mutated requests per route with no 5xx, every 4xx in the protocol's error shape, and stays healthy`, async () => {
    const report = await runFuzz(fuzz.gateway.baseUrl, FUZZ_ROUTES, { count: CASES_PER_ROUTE, seed: SEED });
    assert.equal(report.cases, CASES_PER_ROUTE * FUZZ_ROUTES.length);
    assert.deepEqual(report.failures.slice(0, 5), []);
    // The mutations reach past validation too: every route served some requests and refused others.
    for (const route of FUZZ_ROUTES) {
      const counts = report.statuses[route.path] ?? {};
      assert.ok((counts['200'] ?? 0) > 0, `${route.path} served none: ${JSON.stringify(counts)}`);
      assert.ok((counts['400'] ?? 0) > 0, `${route.path} refused none: ${JSON.stringify(counts)}`);
    }
    const health = await fetch(`${fuzz.gateway.baseUrl}/health`);
    assert.equal(health.status, 200);
    assert.deepEqual(Object.keys(Object.prototype), []);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });
});
