import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OutcomeHub } from '../observability/outcome-hub.ts';
import { LiveRequestFeed } from './live-request-feed.ts';

const FINISHED = { finished: true, headersSent: true, status: 200 };

test('running lists the model calls still open at the hub, with the model asked for once known, and drops each as it finishes', () => {
  const hub = new OutcomeHub();
  const feed = new LiveRequestFeed(hub);
  const before = Date.now();
  const chat = hub.begin({ requestId: 'a', method: 'POST', protocol: 'openai', route: '/v1/chat/completions' });
  const list = hub.begin({ requestId: 'b', method: 'GET', protocol: 'openai', route: '/v1/models' });
  const health = hub.begin({ requestId: 'c', method: 'POST', protocol: 'none', route: '/health' });
  const ollama = hub.begin({ requestId: 'd', method: 'POST', protocol: 'ollama', route: '/api/chat' });
  ollama.requestedModel = 'llama3';
  const running = feed.running();
  assert.deepEqual(
    running.map(({ startedAt: _startedAt, ...rest }) => rest),
    [
      { requestId: 'a', method: 'POST', route: '/v1/chat/completions' },
      { requestId: 'd', method: 'POST', route: '/api/chat', requestedModel: 'llama3' },
    ],
  );
  for (const one of running) assert.ok(one.startedAt >= before && one.startedAt <= Date.now());
  chat.finish(FINISHED, () => undefined);
  list.finish(FINISHED, () => undefined);
  health.finish(FINISHED, () => undefined);
  assert.deepEqual(feed.running().map((one) => one.requestId), ['d']);
  assert.deepEqual(feed.recent().map((one) => one.requestId), ['b', 'a']);
  ollama.finish(FINISHED, () => undefined);
  assert.deepEqual(feed.running(), []);
});
