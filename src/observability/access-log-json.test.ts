import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { accessLogJson, jsonString } from './access-log-json.ts';
import { accessLogLine } from './access-log-line.ts';
import type { RequestOutcome } from './request-outcome.ts';

describe('jsonString', () => {
  it('writes every UTF-16 code unit, alone and between letters, as JSON.stringify does', () => {
    for (let code = 0; code <= 0xffff; code++) {
      const unit = String.fromCharCode(code);
      assert.equal(jsonString(unit), JSON.stringify(unit), `U+${code.toString(16)}`);
      assert.equal(jsonString(`a${unit}b`), JSON.stringify(`a${unit}b`), `U+${code.toString(16)} inside`);
    }
  });

  it('writes surrogate pairs, reversed pairs and empty strings as JSON.stringify does', () => {
    for (const text of ['', '\ud83d\ude00', 'x\ud83d\ude00y', '\ude00\ud83d', '\ud83d\ud83d\ude00', 'é😀"\\\n']) assert.equal(jsonString(text), JSON.stringify(text));
  });
});

describe('accessLogJson', () => {
  const head = { level: 30, time: 1_767_000_000_123, pid: 42, hostnameJson: '"host"', reqId: 'req "1"\n' };
  const outcome: RequestOutcome = {
    requestId: 'r',
    startedAt: 0,
    protocol: 'openai',
    route: '/v1/chat/completions',
    requestedModel: 'lone \ud800 high and \udc00 low',
    attempts: [],
    status: 200,
    result: 'success',
    streamed: false,
    totalMs: 1.005,
    overheadMs: 0.5,
    bytesOut: 3,
    degraded: [],
  };

  it('is JSON.stringify of the record pino would be given, lone surrogates escaped as JSON.stringify escapes them', () => {
    const record = { level: head.level, time: head.time, pid: head.pid, hostname: 'host', reqId: head.reqId, ...accessLogLine(outcome, 'POST', '/v1/x'), msg: 'request' };
    assert.equal(accessLogJson(head, outcome, 'POST', '/v1/x'), JSON.stringify(record));
    assert.match(accessLogJson(head, outcome, 'POST', '/v1/x'), /"model":"lone \\ud800 high and \\udc00 low"/);
  });
});
