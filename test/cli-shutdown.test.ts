import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FakeUpstreamServer } from '../test-support/fake-upstream-server.ts';
import { startHeldChatStreamUpstream } from '../test-support/start-held-chat-stream-upstream.ts';
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
async function startStream(url: string): Promise<{ received: () => string; done: Promise<void> }> {
  const response = await fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'local/m1', stream: true, messages: [{ role: 'user', content: 'hi' }] }),
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

  it('cuts a stream still open at the drain deadline, aborts its upstream call, and exits 0', async () => {
    const { llmux, url } = await startLlmux(50);
    try {
      const stream = await startStream(url);
      const upstreamCall = upstream.lastCall('/v1/chat/completions');
      assert.ok(upstreamCall !== undefined);
      llmux.child.kill('SIGTERM');
      await stream.done;
      assert.doesNotMatch(stream.received(), /\[DONE\]/);
      assert.equal(await upstreamCall.aborted, true);
      assert.deepEqual(await llmux.exited, { code: 0, signal: null });
      assert.match(llmux.stdout, /"url":"\/v1\/chat\/completions","protocol":"openai","status":200,"result":"drain_cut"/, 'the cut request is logged as such');
    } finally {
      await llmux.stop();
    }
  });
});
