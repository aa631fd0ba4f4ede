import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chooseLogFormat } from './log-format.ts';
import { prettyLogLine } from './pretty-log-line.ts';

const at = new Date(2026, 0, 2, 13, 4, 5).getTime();

describe('prettyLogLine', () => {
  it('writes a request as one readable line: status, route, model → provider/model, key, tokens, ttft, total, stream', () => {
    const json = JSON.stringify({ level: 30, time: at, reqId: 'r1', msg: 'request', method: 'POST', url: '/v1/chat/completions', protocol: 'openai', status: 200, result: 'success', model: 'gpt-4o', key: 'alice', provider: 'poe', upstreamModel: 'GPT-4o', streamed: true, ms: 1254.3456, overheadMs: 0.81, bytes: 900, tokens: { input: 120, output: 45, source: 'upstream' }, ttftMs: 230.456 });
    assert.equal(prettyLogLine(json), '13:04:05 200 POST /v1/chat/completions gpt-4o → poe/GPT-4o alice 120→45 tok ttft 230 ms 1.25 s\u0020stream\n');
  });

  it('says how a failed or aborted request ended, with rounded numbers', () => {
    const json = JSON.stringify({ level: 30, time: at, msg: 'request', method: 'POST', url: '/api/chat', status: 499, result: 'client_abort', model: 'qwen3', ms: 4.236, streamed: false, error: { kind: 'canceled', message: 'the client went away' } });
    assert.equal(prettyLogLine(json), '13:04:05 499 POST /api/chat qwen3 4.2 ms client_abort — the client went away\n');
  });

  it('writes other lines as time, level, message and small fields; an error with its stack', () => {
    assert.equal(prettyLogLine(JSON.stringify({ level: 40, time: at, msg: 'budget nearly spent', spentUsd: 20.123456, nested: { a: 1 } })), '13:04:05 WARN budget nearly spent spentUsd=20.12\n');
    assert.equal(prettyLogLine(JSON.stringify({ level: 50, time: at, msg: 'boom', err: { stack: 'Error: boom\n    at x' } })), '13:04:05 ERROR boom\n    Error: boom\n        at x\n');
    assert.equal(prettyLogLine('not json'), 'not json\n');
  });
});

describe('chooseLogFormat', () => {
  it('is readable on a terminal and JSON elsewhere unless LLMUX_LOG_FORMAT says', () => {
    assert.equal(chooseLogFormat(undefined, true), 'pretty');
    assert.equal(chooseLogFormat(undefined, false), 'json');
    assert.equal(chooseLogFormat('JSON', true), 'json');
    assert.equal(chooseLogFormat('pretty', false), 'pretty');
    assert.equal(chooseLogFormat('xml', false), undefined);
  });
});
