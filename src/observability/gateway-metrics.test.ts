import assert from 'node:assert/strict';
import perfHooks from 'node:perf_hooks';
import { test } from 'node:test';
import { EVENT_LOOP_SAMPLE_MS, GatewayMetrics } from './gateway-metrics.ts';
import type { RequestOutcome } from './request-outcome.ts';

function outcome(route: string, status: number): RequestOutcome {
  return {
    requestId: `r-${route}-${status}`,
    startedAt: 0,
    protocol: 'openai',
    route,
    requestedModel: 'm',
    keyName: 'alice',
    provider: 'p',
    upstreamModel: 'u',
    attempts: [{ provider: 'p', providerType: 'cerebras', model: 'u', status: 200, ms: 5 }],
    status,
    result: status < 400 ? 'success' : 'error',
    streamed: false,
    totalMs: 7,
    overheadMs: 0.4,
    bytesOut: 10,
    degraded: [],
    usage: { input: { total: 12 }, output: { total: 3 }, source: 'upstream' },
  };
}

function sample(text: string, line: string): number {
  const found = text.split('\n').find((one) => one.startsWith(line));
  return found === undefined ? Number.NaN : Number(found.slice(found.lastIndexOf(' ') + 1));
}

test('outcomes are all counted by the next scrape, label sets kept apart, and only once', async () => {
  const metrics = new GatewayMetrics();
  try {
    for (let index = 0; index < 600; index++) metrics.observe(outcome('/v1/chat/completions', 200));
    for (let index = 0; index < 5; index++) metrics.observe(outcome('/api/chat', 502));
    metrics.addCost('alice', 'm', 'p', 0.25);
    metrics.addCost('alice', 'm', 'p', 0.5);
    await new Promise((resolve) => setImmediate(resolve));
    const text = await metrics.text();
    assert.equal(sample(text, 'llmux_requests_total{protocol="openai",route="/v1/chat/completions",model="m",provider="p",status="200"}'), 600);
    assert.equal(sample(text, 'llmux_requests_total{protocol="openai",route="/api/chat",model="m",provider="p",status="502"}'), 5);
    assert.equal(sample(text, 'llmux_tokens_total{key="alice",model="m",provider="p",kind="input"}'), 605 * 12);
    assert.equal(sample(text, 'llmux_cost_usd_total{key="alice",model="m",provider="p"}'), 0.75);
    assert.equal(sample(text, 'llmux_overhead_seconds_count'), 605);
    assert.equal(sample(text, 'llmux_request_duration_seconds_bucket{le="0.01",protocol="openai",route="/api/chat",streamed="false"}'), 5);
    assert.equal(sample(text, 'llmux_request_duration_seconds_bucket{le="0.005",protocol="openai",route="/api/chat",streamed="false"}'), 0);
    assert.equal(sample(text, 'llmux_request_duration_seconds_sum{protocol="openai",route="/api/chat",streamed="false"}'), 0.035);
    // Counted once: a second scrape shows the same.
    assert.equal(sample(await metrics.text(), 'llmux_overhead_seconds_count'), 605);
  } finally {
    metrics.close();
  }
});

test('a cost that differs from the one before it in any one label is counted under its own label set, before and after a scrape', async () => {
  const metrics = new GatewayMetrics();
  try {
    const costs: [string | undefined, string | undefined, string, number][] = [
      ['alice', 'm', 'p', 0.5],
      ['bob', 'm', 'p', 0.25],
      ['alice', 'm', 'p', 0.5],
      ['alice', 'n', 'p', 2],
      ['alice', 'm', 'q', 4],
      [undefined, 'm', 'p', 8],
      ['alice', undefined, 'p', 16],
      ['alice', 'm', 'p', 1],
    ];
    for (const [key, model, provider, usd] of costs) metrics.addCost(key, model, provider, usd);
    const first = await metrics.text();
    assert.equal(sample(first, 'llmux_cost_usd_total{key="alice",model="m",provider="p"}'), 2);
    assert.equal(sample(first, 'llmux_cost_usd_total{key="bob",model="m",provider="p"}'), 0.25);
    assert.equal(sample(first, 'llmux_cost_usd_total{key="alice",model="n",provider="p"}'), 2);
    assert.equal(sample(first, 'llmux_cost_usd_total{key="alice",model="m",provider="q"}'), 4);
    assert.equal(sample(first, 'llmux_cost_usd_total{key="",model="m",provider="p"}'), 8);
    assert.equal(sample(first, 'llmux_cost_usd_total{key="alice",model="",provider="p"}'), 16);
    // The last label set again, after the scrape handed its sum over: added once more, not lost.
    metrics.addCost('alice', 'm', 'p', 0.5);
    metrics.addCost('alice', 'm', 'p', 0.25);
    const second = await metrics.text();
    assert.equal(sample(second, 'llmux_cost_usd_total{key="alice",model="m",provider="p"}'), 2.75);
    assert.equal(sample(second, 'llmux_cost_usd_total{key="bob",model="m",provider="p"}'), 0.25);
  } finally {
    metrics.close();
  }
});

test('an outcome that differs from the one before it in any one label is counted under its own label set', async () => {
  const metrics = new GatewayMetrics();
  try {
    const base = outcome('/v1/chat/completions', 200);
    const variants: RequestOutcome[] = [
      { ...base, protocol: 'ollama' },
      { ...base, route: '/api/chat' },
      { ...base, requestedModel: 'other' },
      { ...base, provider: 'q' },
      { ...base, status: 201 },
      { ...base, streamed: true },
      { ...base, keyName: 'bob' },
    ];
    // Each variant right after the base and the base right after each variant: the previous label set never matches.
    for (const variant of variants) {
      metrics.observe(base);
      metrics.observe(variant);
    }
    metrics.observe(base);
    const text = await metrics.text();
    assert.equal(sample(text, 'llmux_requests_total{protocol="openai",route="/v1/chat/completions",model="m",provider="p",status="200"}'), 8 + 2);
    assert.equal(sample(text, 'llmux_requests_total{protocol="ollama",route="/v1/chat/completions",model="m",provider="p",status="200"}'), 1);
    assert.equal(sample(text, 'llmux_requests_total{protocol="openai",route="/api/chat",model="m",provider="p",status="200"}'), 1);
    assert.equal(sample(text, 'llmux_requests_total{protocol="openai",route="/v1/chat/completions",model="other",provider="p",status="200"}'), 1);
    assert.equal(sample(text, 'llmux_requests_total{protocol="openai",route="/v1/chat/completions",model="m",provider="q",status="200"}'), 1);
    assert.equal(sample(text, 'llmux_requests_total{protocol="openai",route="/v1/chat/completions",model="m",provider="p",status="201"}'), 1);
    assert.equal(sample(text, 'llmux_request_duration_seconds_count{protocol="openai",route="/v1/chat/completions",streamed="true"}'), 1);
    assert.equal(sample(text, 'llmux_tokens_total{key="bob",model="m",provider="p",kind="input"}'), 12);
  } finally {
    metrics.close();
  }
});

test('the event-loop lag is sampled every 100 ms, not every 10 ms: an idle gateway is not woken a hundred times a second', (t) => {
  const monitor = t.mock.method(perfHooks, 'monitorEventLoopDelay');
  const metrics = new GatewayMetrics();
  try {
    assert.equal(EVENT_LOOP_SAMPLE_MS, 100);
    assert.equal(monitor.mock.callCount(), 1);
    assert.deepEqual(monitor.mock.calls[0]?.arguments, [{ resolution: 100 }]);
  } finally {
    metrics.close();
  }
});
