import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** Only a machine with a Docker engine can build the image; elsewhere this test is skipped and says so. */
const engine = spawnSync('docker', ['info', '--format', '{{.ServerVersion}}'], { encoding: 'utf8', timeout: 10_000 });
const hasEngine = engine.status === 0 && engine.stdout.trim() !== '';

function docker(args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile('docker', [...args], { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => (error === null ? resolve(stdout) : reject(new Error(`${error.message}\n${stderr}`)))),
  );
}

describe('the Docker image', { skip: hasEngine ? false : 'no Docker engine on this machine: the image was not built' }, () => {
  it('builds, runs as a non-root user, answers /health and reports healthy', async () => {
    const tag = `llmux-test:${process.pid}`;
    await docker(['build', '-t', tag, '.']);
    const id = (await docker(['run', '-d', '-p', '127.0.0.1::11434', tag, 'serve', '--allow-open'])).trim();
    try {
      assert.notEqual((await docker(['exec', id, 'id', '-u'])).trim(), '0');
      const port = (await docker(['port', id, '11434/tcp'])).trim().split(':').at(-1);
      let health: Response | undefined;
      for (let attempt = 0; attempt < 100 && health === undefined; attempt++) {
        health = await fetch(`http://127.0.0.1:${port}/health`).catch(async () => {
          await new Promise((resolve) => setTimeout(resolve, 100));
          return undefined;
        });
      }
      assert.equal(health?.status, 200);
      assert.match(await docker(['inspect', '--format', '{{json .Config.Healthcheck}} {{json .Config.Volumes}}', id]), /\/health.*"\/app\/data"/s);
    } finally {
      await docker(['rm', '-f', id]);
      await docker(['rmi', tag]).catch(() => '');
    }
  });
});
