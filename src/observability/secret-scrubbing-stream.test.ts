import assert from 'node:assert/strict';
import { test } from 'node:test';
import { redactQueryString } from './redact-query-string.ts';
import { secretScrubbingStream } from './secret-scrubbing-stream.ts';

test('every known secret is replaced wherever it appears in a line, JSON-escaped or not', () => {
  const lines: string[] = [];
  const sink = secretScrubbingStream({ write: (line: string) => lines.push(line) }, ['sk-live-123456', 'key"with\\quote', 'abc']);
  sink.write('{"url":"/v1/models?k=sk-live-123456","msg":"model \'sk-live-123456\' not found","h":"key\\"with\\\\quote","w":"abc"}\n');
  assert.equal(lines[0], '{"url":"/v1/models?k=[redacted]","msg":"model \'[redacted]\' not found","h":"[redacted]","w":"abc"}\n');
});

test('secrets with the characters of regular expressions are found as they are written, among many', () => {
  const lines: string[] = [];
  const special = 'k.e*y+?^${x}(y)|[z]/w';
  const many = Array.from({ length: 60 }, (_, index) => `sk-key-number-${index}`);
  const sink = secretScrubbingStream({ write: (line: string) => lines.push(line) }, [...many, special]);
  sink.write(`{"a":"${special}","b":"kXe*y+?^\${x}(y)|[z]/w"}\n`);
  sink.write('{"c":"sk-key-number-59","d":"sk-key-number-6"}\n');
  sink.write('{"msg":"nothing secret here: sk-key-number-"}\n');
  assert.deepEqual(lines, ['{"a":"[redacted]","b":"kXe*y+?^${x}(y)|[z]/w"}\n', '{"c":"[redacted]","d":"[redacted]"}\n', '{"msg":"nothing secret here: sk-key-number-"}\n']);
});

test('query string values are logged redacted, names kept', () => {
  assert.equal(redactQueryString('/v1/models?key=sk-1&limit=5'), '/v1/models?key=[redacted]&limit=[redacted]');
  assert.equal(redactQueryString('/v1/models?sk-bare-secret'), '/v1/models?[redacted]');
  assert.equal(redactQueryString('/api/tags'), '/api/tags');
  assert.ok(redactQueryString('/' + 'a'.repeat(10_000)).length < 600);
});
