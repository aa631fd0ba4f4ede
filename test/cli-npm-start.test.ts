import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FakeUpstreamServer } from '../test-support/fake-upstream-server.ts';
import { startHeldChatStreamUpstream } from '../test-support/start-held-chat-stream-upstream.ts';
import { LlmuxProcess, makeTemporaryDirectory } from './cli-harness.ts';

let directory: { path: string; remove(): Promise<void> };
let upstream: FakeUpstreamServer;
let config: string;
let release: () => void = () => {};

before(async () => {
  directory = await makeTemporaryDirectory();
  ({ upstream, release } = await startHeldChatStreamUpstream());
  config = join(directory.path, 'npm-start.yaml');
  await writeFile(config, `providers:\n  - { id: local, type: openai-compatible, base_url: "${upstream.baseUrl}/v1" }\nlog_level: silent\nstate: { sqlite: "${join(directory.path, 'data', 'llmux.db')}" }\n`);
});
after(async () => {
  release();
  await upstream.close();
  await directory.remove();
});

/** Starts a streamed chat and returns once its first content arrived; `rest` resolves with all of it. */
async function startStream(url: string): Promise<{ rest: Promise<string> }> {
  const response = await fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'local/m1', stream: true, messages: [{ role: 'user', content: 'hi' }] }),
  });
  assert.equal(response.status, 200);
  assert.ok(response.body !== null);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let text = '';
  while (!text.includes('Hel')) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`the stream ended before its first content: ${text}`);
    text += value;
  }
  const rest = (async () => {
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
      if (done) return text;
      text += value;
    }
  })();
  return { rest };
}

/** Whether anything still accepts connections on the port. */
function portAccepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('npm start', () => {
  for (const [how, send] of [
    ['SIGTERM sent to npm alone', (llmux: LlmuxProcess) => llmux.child.kill('SIGTERM')],
    // A terminal's Ctrl-C reaches npm and llmux at once, and npm forwards its copy too.
    ['Ctrl-C (SIGINT to the whole process group)', (llmux: LlmuxProcess) => llmux.signalGroup('SIGINT')],
  ] as const) {
    it(`on ${how}, llmux drains an in-flight stream, frees the port, and npm exits 0`, async () => {
      const llmux = new LlmuxProcess(['serve', '--config', config, '--port', '0'], { cwd: directory.path, viaNpmStart: true });
      try {
        const url = await llmux.listening();
        const port = Number(new URL(url).port);
        const stream = await startStream(url);
        send(llmux);
        await llmux.waitForStderr(/llmux: SIG(TERM|INT) received, finishing in-flight requests/);
        release();
        assert.match(await stream.rest, /"content":"lo".*"finish_reason":"stop".*\n\ndata: \[DONE\]\n\n$/s);
        assert.deepEqual(await llmux.exited, { code: 0, signal: null });
        assert.equal(await portAccepts(port), false, 'llmux must not outlive npm');
        assert.doesNotMatch(llmux.stderr, /again, stopping now/);
      } finally {
        await llmux.stop();
      }
    });
  }
});

describe('npm --prefix <checkout> run llmux from another directory', () => {
  it('resolves --config against the directory npm was called from, not the checkout', async () => {
    const { execFile } = await import('node:child_process');
    const { fileURLToPath } = await import('node:url');
    const checkout = fileURLToPath(new URL('..', import.meta.url));
    await writeFile(join(directory.path, 'relative.yaml'), `providers:\n  - { id: local, type: openai-compatible, base_url: "${upstream.baseUrl}/v1" }\n`);
    const env = { PATH: process.env.PATH ?? '', ...(process.env.HOME === undefined ? {} : { HOME: process.env.HOME }) };
    const output = await new Promise<string>((resolve, reject) =>
      execFile('npm', ['--prefix', checkout, 'run', '--silent', 'llmux', '--', 'check', '--config', 'relative.yaml'], { cwd: directory.path, env }, (error, stdout, stderr) =>
        error === null ? resolve(stdout) : reject(new Error(`${error.message}\n${stdout}\n${stderr}`)),
      ),
    );
    assert.match(output, new RegExp(`^config ok: ${join(directory.path, 'relative.yaml').replaceAll('.', '\\.')}\n`));
  });
});
