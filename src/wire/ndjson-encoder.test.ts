import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeNdjson } from './ndjson-decoder.ts';
import { encodeNdjsonLine, NDJSON_CONTENT_TYPE } from './ndjson-encoder.ts';

const VALUES: unknown[] = [
  { model: 'llama3', message: { role: 'assistant', content: 'известни 👋' }, done: false },
  { model: 'llama3', message: { role: 'assistant', content: '' }, done: true, done_reason: 'stop' },
];

async function decodeAll(body: string): Promise<unknown[]> {
  async function* once(): AsyncGenerator<string> {
    yield body;
  }
  const result: unknown[] = [];
  for await (const value of decodeNdjson(once())) result.push(value);
  return result;
}

describe('encodeNdjsonLine', () => {
  it('writes compact JSON and exactly one \\n', () => {
    assert.equal(encodeNdjsonLine({ a: 'é\n', b: [1, 2] }), '{"a":"é\\n","b":[1,2]}\n');
  });

  it('escapes line breaks inside strings, so each value stays on one line', () => {
    const line = encodeNdjsonLine({ text: 'a\r\nb\rc' });
    assert.doesNotMatch(line.slice(0, -1), /[\r\n]/);
    assert.ok(line.endsWith('}\n'));
  });

  it('round-trips through decodeNdjson', async () => {
    const body = VALUES.map(encodeNdjsonLine).join('');
    assert.equal(body.split('\n').length, VALUES.length + 1);
    assert.deepEqual(await decodeAll(body), VALUES);
  });

  it('names the NDJSON content type Ollama uses', () => {
    assert.equal(NDJSON_CONTENT_TYPE, 'application/x-ndjson');
  });
});
