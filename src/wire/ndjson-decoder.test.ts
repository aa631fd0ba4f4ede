import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GatewayError } from '../canonical/gateway-error.ts';
import { decodeNdjson } from './ndjson-decoder.ts';

const encoder = new TextEncoder();

async function* fromChunks(chunks: readonly (Uint8Array | string)[]): AsyncGenerator<Uint8Array | string> {
  for (const chunk of chunks) yield chunk;
}

async function values(chunks: readonly (Uint8Array | string)[]): Promise<unknown[]> {
  const result: unknown[] = [];
  for await (const value of decodeNdjson(fromChunks(chunks))) result.push(value);
  return result;
}

// As Ollama's /api/chat streams it.
const OLLAMA_BODY =
  '{"model":"llama3","created_at":"2025-01-01T00:00:00Z","message":{"role":"assistant","content":"Здравей"},"done":false}\n' +
  '{"model":"llama3","created_at":"2025-01-01T00:00:00Z","message":{"role":"assistant","content":", известни 👋"},"done":false}\n' +
  '{"model":"llama3","created_at":"2025-01-01T00:00:01Z","message":{"role":"assistant","content":""},"done":true,"done_reason":"stop","eval_count":3}\n';

const OLLAMA_VALUES = OLLAMA_BODY.trimEnd()
  .split('\n')
  .map((line) => JSON.parse(line) as unknown);

describe('decodeNdjson', () => {
  it('yields nothing for empty input', async () => {
    assert.deepEqual(await values([]), []);
    assert.deepEqual(await values(['']), []);
  });

  it('parses one value per line', async () => {
    assert.deepEqual(await values([OLLAMA_BODY]), OLLAMA_VALUES);
  });

  it('gives the same values for every byte split point', async () => {
    const bytes = encoder.encode(OLLAMA_BODY);
    for (let at = 0; at <= bytes.length; at++) {
      assert.deepEqual(await values([bytes.subarray(0, at), bytes.subarray(at)]), OLLAMA_VALUES, `split at byte ${at}`);
    }
    const oneByteChunks = Array.from(bytes, (_byte, index) => bytes.subarray(index, index + 1));
    assert.deepEqual(await values(oneByteChunks), OLLAMA_VALUES);
  });

  it('skips blank and whitespace-only lines and accepts \\r\\n', async () => {
    assert.deepEqual(await values(['\n{"a":1}\r\n\r\n  \n\t\n{"b":2}\n\n']), [{ a: 1 }, { b: 2 }]);
  });

  it('parses a last line with no line ending', async () => {
    assert.deepEqual(await values(['{"a":1}\n{"b":', '2}']), [{ a: 1 }, { b: 2 }]);
  });

  it('fails with an upstream error naming the bad line', async () => {
    await assert.rejects(values(['{"a":1}\nnot json\n']), (error: unknown) => {
      assert.ok(error instanceof GatewayError);
      assert.equal(error.kind, 'upstream');
      assert.match(error.message, /not JSON: not json$/);
      return true;
    });
  });

  it('yields the values before a bad line', async () => {
    const seen: unknown[] = [];
    await assert.rejects(async () => {
      for await (const value of decodeNdjson(fromChunks(['{"a":1}\n{oops\n']))) seen.push(value);
    });
    assert.deepEqual(seen, [{ a: 1 }]);
  });
});
