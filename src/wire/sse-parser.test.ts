import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SseParser } from './sse-parser.ts';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('SseParser', () => {
  it('returns, for each chunk, exactly the events it completes', () => {
    const parser = new SseParser();
    assert.deepEqual(parser.push(bytes('data: {"a":1}\n\ndata: {"b":2}\n\n: ping\n\nda')), [
      { event: 'message', data: '{"a":1}' },
      { event: 'message', data: '{"b":2}' },
    ]);
    assert.deepEqual(parser.push(bytes('ta: {"c":3}\n')), []);
    assert.deepEqual(parser.push(bytes('\n')), [{ event: 'message', data: '{"c":3}' }]);
    assert.deepEqual(parser.end(), []);
  });

  it('joins a character split between chunks and handles \\r\\n split after \\r', () => {
    const parser = new SseParser();
    const whole = bytes('event: delta\r\ndata: 👋🏽\r\n\r\n');
    const cut = whole.indexOf(0xf0) + 2;
    const crlf = whole.lastIndexOf(13);
    assert.deepEqual(parser.push(whole.subarray(0, cut)), []);
    assert.deepEqual(parser.push(whole.subarray(cut, crlf + 1)), [{ event: 'delta', data: '👋🏽' }]);
    // The '\n' of the last '\r\n' arrives alone: it is not a second blank line.
    assert.deepEqual(parser.push(whole.subarray(crlf + 1)), []);
    assert.deepEqual(parser.end(), []);
  });

  it('dispatches a last event without its blank line at the end', () => {
    const parser = new SseParser();
    assert.deepEqual(parser.push('id: 7\ndata: one\ndata: two'), []);
    assert.deepEqual(parser.end(), [{ event: 'message', data: 'one\ntwo', id: '7' }]);
  });
});
