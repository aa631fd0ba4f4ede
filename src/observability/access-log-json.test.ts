import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AccessLogJson, accessLogJson, jsonString, type LogLineHead } from './access-log-json.ts';
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

  it('writes each line from its own values when they differ from the line before in any one field, and back', () => {
    const base: RequestOutcome = {
      ...outcome,
      requestedModel: 'm',
      keyName: 'k',
      provider: 'p',
      upstreamModel: 'u',
      usage: { input: { total: 10, cacheRead: 2 }, output: { total: 5 }, source: 'upstream' },
    };
    const baseHead: LogLineHead = { ...head, reqId: 'r' };
    const usage = base.usage as NonNullable<RequestOutcome['usage']>;
    const variants: [LogLineHead, RequestOutcome, string, string][] = [
      [{ ...baseHead, level: 20 }, base, 'POST', '/v1/x'],
      [{ ...baseHead, pid: 43 }, base, 'POST', '/v1/x'],
      [{ ...baseHead, hostnameJson: '"other"' }, base, 'POST', '/v1/x'],
      [baseHead, base, 'GET', '/v1/x'],
      [baseHead, base, 'POST', '/v1/y'],
      [baseHead, { ...base, protocol: 'ollama' }, 'POST', '/v1/x'],
      [baseHead, { ...base, status: 502 }, 'POST', '/v1/x'],
      [baseHead, { ...base, result: 'error' }, 'POST', '/v1/x'],
      [baseHead, { ...base, requestedModel: 'n' }, 'POST', '/v1/x'],
      [baseHead, { ...base, requestedModel: undefined }, 'POST', '/v1/x'],
      [baseHead, { ...base, keyName: undefined }, 'POST', '/v1/x'],
      [baseHead, { ...base, keyName: 'j' }, 'POST', '/v1/x'],
      [baseHead, { ...base, provider: undefined }, 'POST', '/v1/x'],
      [baseHead, { ...base, upstreamModel: 'v' }, 'POST', '/v1/x'],
      [baseHead, { ...base, requestedModel: undefined, keyName: undefined, provider: undefined, upstreamModel: undefined }, 'POST', '/v1/x'],
      [baseHead, { ...base, streamed: true }, 'POST', '/v1/x'],
      [baseHead, { ...base, usage: undefined }, 'POST', '/v1/x'],
      [baseHead, { ...base, usage: { ...usage, input: { total: 11, cacheRead: 2 } } }, 'POST', '/v1/x'],
      [baseHead, { ...base, usage: { ...usage, input: { total: 10 } } }, 'POST', '/v1/x'],
      [baseHead, { ...base, usage: { ...usage, input: { total: 10, cacheRead: 2, cacheWrite: 1 } } }, 'POST', '/v1/x'],
      [baseHead, { ...base, usage: { ...usage, output: { total: 6 } } }, 'POST', '/v1/x'],
      [baseHead, { ...base, usage: { ...usage, output: { total: 5, reasoning: 1 } } }, 'POST', '/v1/x'],
      [baseHead, { ...base, usage: { ...usage, source: 'counted' } }, 'POST', '/v1/x'],
    ];
    const writer = new AccessLogJson();
    const expected = (one: LogLineHead, made: RequestOutcome, method: string, url: string): string =>
      JSON.stringify({ level: one.level, time: one.time, pid: one.pid, hostname: JSON.parse(one.hostnameJson) as string, reqId: one.reqId, ...accessLogLine(made, method, url), msg: 'request' });
    for (const variant of variants) {
      for (const [one, made, method, url] of [[baseHead, base, 'POST', '/v1/x'], variant, variant, [baseHead, base, 'POST', '/v1/x']] as const) {
        assert.equal(writer.line(one, made, method, url), expected(one, made, method, url));
      }
    }
  });
});
