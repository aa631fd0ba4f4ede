import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Histogram, Registry } from 'prom-client';
import { BucketHistogram } from './bucket-histogram.ts';

const BUCKETS = [0.005, 0.01, 0.5, 1, 10];
/** On a bound, between bounds, above every bound, zero, and a label value that needs escaping. */
const OBSERVATIONS: [Record<string, string>, number][] = [
  [{ protocol: 'openai', route: '/v1/chat/completions' }, 0.005],
  [{ protocol: 'openai', route: '/v1/chat/completions' }, 0.0071],
  [{ protocol: 'ollama', route: '/api/chat' }, 42],
  [{ protocol: 'openai', route: '/v1/chat/completions' }, 0],
  [{ protocol: 'ollama', route: '/api/chat' }, 1],
  [{ protocol: 'odd "one"\n', route: '\\' }, 0.3],
];

test('writes the same text as prom-client’s Histogram, labelled and not', async () => {
  const theirs = new Registry();
  const ours = new Registry();
  const labelled = new Histogram({ name: 'x_seconds', help: 'X', labelNames: ['protocol', 'route'], buckets: BUCKETS, registers: [theirs] });
  const plain = new Histogram({ name: 'y_seconds', help: 'Y', buckets: BUCKETS, registers: [theirs] });
  new Histogram({ name: 'z_seconds', help: 'Z, never observed', buckets: BUCKETS, registers: [theirs] });
  const ourLabelled = new BucketHistogram({ name: 'x_seconds', help: 'X', labelled: true, buckets: BUCKETS, registers: [ours] });
  const ourPlain = new BucketHistogram({ name: 'y_seconds', help: 'Y', labelled: false, buckets: BUCKETS, registers: [ours] }).seriesFor('', {});
  new BucketHistogram({ name: 'z_seconds', help: 'Z, never observed', labelled: false, buckets: BUCKETS, registers: [ours] });
  for (const [labels, value] of OBSERVATIONS) {
    labelled.observe(labels, value);
    plain.observe(value);
    ourLabelled.seriesFor(`${labels.protocol}\u0000${labels.route}`, labels).observe(value);
    ourPlain.observe(value);
  }
  assert.equal(await ours.metrics(), await theirs.metrics());
  assert.deepEqual(await ours.getMetricsAsJSON(), await theirs.getMetricsAsJSON());
});

test('a series handle is kept per key; a value that is not finite is not counted', async () => {
  const registry = new Registry();
  const histogram = new BucketHistogram({ name: 'x_seconds', help: 'X', labelled: true, buckets: BUCKETS, registers: [registry] });
  const first = histogram.seriesFor('a', { route: 'a' });
  assert.equal(histogram.seriesFor('a', { route: 'ignored' }), first);
  first.observe(0.2);
  first.observe(Number.NaN);
  first.observe(Number.POSITIVE_INFINITY);
  histogram.seriesFor('b', { route: 'b' });
  const text = await registry.metrics();
  assert.match(text, /^x_seconds_count\{route="a"\} 1$/m);
  assert.match(text, /^x_seconds_sum\{route="a"\} 0\.2$/m);
  assert.doesNotMatch(text, /route="b"/, 'a series never observed is not written');
});
