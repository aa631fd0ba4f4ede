import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FakeUpstreamServer } from '../test-support/fake-upstream-server.ts';
import { startHeldChatStreamUpstream } from '../test-support/start-held-chat-stream-upstream.ts';
import { openSqliteStateStore } from '../src/state/sqlite/open-sqlite-state-store.ts';
import { LlmuxProcess, makeTemporaryDirectory } from './cli-harness.ts';

let directory: { path: string; remove(): Promise<void> };
let upstream: FakeUpstreamServer;
let release: () => void = () => {};

before(async () => {
  directory = await makeTemporaryDirectory();
  ({ upstream, release } = await startHeldChatStreamUpstream());
});
after(async () => {
  release();
  await upstream.close();
  await directory.remove();
});

async function startLlmux(drainTimeoutMs: number): Promise<{ llmux: LlmuxProcess; url: string }> {
  const config = join(directory.path, `drain-${drainTimeoutMs}.yaml`);
  await writeFile(config, `providers:\n  - { id: local, type: openai-compatible, base_url: "${upstream.baseUrl}/v1" }\ndrain_timeout_ms: ${drainTimeoutMs}\nlog_level: info\n`);
  const llmux = new LlmuxProcess(['--config', config, '--port', '0'], { cwd: directory.path });
  return { llmux, url: await llmux.listening() };
}

/** Starts a streamed chat request and returns once its first content arrived. */
async function startStream(url: string, path = '/v1/chat/completions', fields: object = { messages: [{ role: 'user', content: 'hi' }] }): Promise<{ received: () => string; done: Promise<void> }> {
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'local/m1', stream: true, ...fields }),
  });
  assert.equal(response.status, 200);
  const body = response.body;
  assert.ok(body !== null);
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let text = '';
  let signalFirst: () => void = () => {};
  const first = new Promise<void>((resolve) => (signalFirst = resolve));
  const done = (async () => {
    try {
      for (;;) {
        const { value, done: finished } = await reader.read();
        if (finished) break;
        text += value;
        if (text.includes('Hel')) signalFirst();
      }
    } catch {
      // The connection was cut: what arrived so far is the result.
    } finally {
      signalFirst();
    }
  })();
  await first;
  return { received: () => text, done };
}

/** Resolves once llmux no longer accepts new connections. */
async function untilRefused(url: string): Promise<void> {
  for (;;) {
    try {
      await (await fetch(`${url}/health`)).arrayBuffer();
    } catch {
      return;
    }
  }
}

describe('llmux shutdown', () => {
  it('on SIGTERM stops accepting, lets an in-flight stream finish, then exits 0', async () => {
    const { llmux, url } = await startLlmux(10_000);
    try {
      const stream = await startStream(url);
      llmux.child.kill('SIGTERM');
      await llmux.waitForStderr(/llmux: SIGTERM received, finishing in-flight requests \(up to 10000 ms\)\n/);
      await untilRefused(url);
      assert.equal(llmux.child.exitCode, null, 'llmux must wait for the open stream');
      release();
      await stream.done;
      assert.match(stream.received(), /"content":"Hel".*"content":"lo".*"finish_reason":"stop".*\n\ndata: \[DONE\]\n\n$/s);
      assert.deepEqual(await llmux.exited, { code: 0, signal: null });
      assert.match(llmux.stdout, /"url":"\/v1\/chat\/completions","protocol":"openai","status":200,"result":"success","model":"local\/m1"/, 'the request log line is written out before exit');
    } finally {
      await llmux.stop();
    }
  });

  it('on SIGTERM writes a response stored during the drain to the state database before it exits', async () => {
    const { llmux, url } = await startLlmux(10_000);
    try {
      const stream = await startStream(url, '/v1/responses', { input: 'hi' });
      llmux.child.kill('SIGTERM');
      await llmux.waitForStderr(/llmux: SIGTERM received/);
      release();
      await stream.done;
      const id = /"response":\{"id":"(resp_\w+)"/.exec(stream.received())?.[1];
      assert.ok(id !== undefined, stream.received());
      assert.match(stream.received(), /event: response\.completed\n/);
      assert.deepEqual(await llmux.exited, { code: 0, signal: null });
      const state = await openSqliteStateStore(join(directory.path, 'data', 'llmux.db'));
      try {
        const stored = await state.responses.get(id);
        assert.equal(stored?.response['status'], 'completed');
        assert.deepEqual(stored?.inputItems.map((item) => item['content']), [[{ type: 'input_text', text: 'hi' }]]);
      } finally {
        await state.close();
      }
    } finally {
      await llmux.stop();
    }
  });

  it('stops at once with 1 on a second, different signal while draining', async () => {
    const { llmux, url } = await startLlmux(10_000);
    try {
      await startStream(url);
      llmux.child.kill('SIGTERM');
      await llmux.waitForStderr(/llmux: SIGTERM received/);
      llmux.child.kill('SIGINT');
      assert.deepEqual(await llmux.exited, { code: 1, signal: null });
      assert.match(llmux.stderr, /llmux: SIGINT again, stopping now\n$/);
    } finally {
      release();
      await llmux.stop();
    }
  });

  it('ends a stream still open at the drain deadline with its error chunk, aborts its upstream call, logs why, and exits 0', async () => {
    const { llmux, url } = await startLlmux(50);
    try {
      const stream = await startStream(url);
      const upstreamCall = upstream.lastCall('/v1/chat/completions');
      assert.ok(upstreamCall !== undefined);
      llmux.child.kill('SIGTERM');
      await stream.done;
      assert.doesNotMatch(stream.received(), /\[DONE\]/);
      assert.match(stream.received(), /"content":"Hel".*\n\ndata: \{"error":\{"message":"llmux is shutting down: the request was still running when the drain timeout \(drain_timeout_ms, 50 ms\) ended"/s);
      assert.equal(await upstreamCall.aborted, true);
      assert.deepEqual(await llmux.exited, { code: 0, signal: null });
      assert.match(llmux.stdout, /"msg":"drain timeout: ending 1 request\(s\) still running"/);
      assert.match(llmux.stderr, /llmux: stopped\n$/);
      assert.match(llmux.stdout, /"url":"\/v1\/chat\/completions","protocol":"openai","status":200,"result":"drain_cut"/, 'the cut request is logged as such');
    } finally {
      await llmux.stop();
    }
  });
});
