import assert from 'node:assert/strict';
import { describe, it, mock } from 'node:test';
import { pino } from 'pino';
import type { FastifyBaseLogger } from 'fastify';
import { accessLogLine } from './access-log-line.ts';
import { BatchedLineSink } from './batched-line-sink.ts';
import { createLogger } from './create-logger.ts';
import type { RequestOutcome } from './request-outcome.ts';
import { writeAccessLogLine } from './write-access-log-line.ts';

const base: RequestOutcome = {
  requestId: 'r-1',
  startedAt: 0,
  protocol: 'openai',
  route: '/v1/chat/completions',
  requestedModel: 'gpt-4o',
  keyName: 'alice',
  attempts: [{ provider: 'poe', providerType: 'poe', model: 'GPT-4o', status: 200, ms: 12.3456 }],
  provider: 'poe',
  upstreamModel: 'GPT-4o',
  status: 200,
  result: 'success',
  streamed: false,
  totalMs: 15.12345,
  overheadMs: 0.456789,
  bytesOut: 321,
  degraded: [],
};

const outcomes: Record<string, RequestOutcome> = {
  plain: base,
  noOptionals: { ...base, requestedModel: undefined, keyName: undefined, provider: undefined, upstreamModel: undefined, attempts: [] } as RequestOutcome,
  everything: {
    ...base,
    attempts: [...base.attempts, { provider: 'cerebras', providerType: 'cerebras', model: 'llama "3"', status: 429, ms: 3 }],
    usage: { input: { total: 12, cacheRead: 2, cacheWrite: 1 }, output: { total: 7, reasoning: 3 }, source: 'upstream' } as RequestOutcome['usage'],
    ttftMs: 4.56789,
    errorKind: 'rate_limit',
    errorMessage: 'quota \\ "gone"\n\ttab \u0001 é 😀',
    degraded: [{ field: 'logprobs', reason: 'x' }] as RequestOutcome['degraded'],
    streamed: true,
    totalMs: Number.NaN,
  },
  longClientText: { ...base, requestedModel: 'm'.repeat(5_000), errorMessage: 'e'.repeat(3_000), errorKind: 'invalid_request', degraded: Array.from({ length: 150 }, (_, index) => ({ field: `f${index}${'x'.repeat(index === 3 ? 2_000 : 0)}` })) as RequestOutcome['degraded'] },
  secret: { ...base, requestedModel: 'sk-live-abcdef-secret' },
  // Every kind of character JSON escapes, a surrogate pair, and numbers JSON writes as null (a lone
  // surrogate is where pino and JSON.stringify part: see access-log-json.test.ts).
  unusualText: {
    ...base,
    protocol: 'p"\\q',
    requestedModel: 'pair \ud83d\ude00, \u007f \u2028 é',
    keyName: 'tab\tnewline\ncr\rnul\u0000bell\u0007',
    provider: '',
    upstreamModel: '</script>',
    usage: { input: { total: 3, cacheRead: 0 }, output: { total: 0, reasoning: 0 }, source: 'counted' } as RequestOutcome['usage'],
    errorKind: 'upstream',
    bytesOut: Number.POSITIVE_INFINITY,
    overheadMs: -0,
    ttftMs: 1e21,
  } as RequestOutcome,
  // Typed as always there, but a count an upstream left out must be left out here too.
  tokensWithoutTotals: { ...base, usage: { input: {}, output: {}, source: 'upstream' } as unknown as RequestOutcome['usage'] },
  everyStringLong: {
    ...base,
    protocol: 'p'.repeat(1_001),
    keyName: 'k'.repeat(1_500),
    provider: 'v'.repeat(1_200),
    upstreamModel: `${'u'.repeat(999)}\ud83d\ude00tail`,
    attempts: Array.from({ length: 130 }, (_, index) => ({ provider: 'p', providerType: 'p', model: index === 5 ? 'z'.repeat(1_100) : `m${index}`, status: 500, ms: index })),
    errorKind: 'upstream',
    errorMessage: 'short',
    degraded: [{ field: 'only', reason: 'r' }],
  } as RequestOutcome,
};

function captured(level: string, format: 'json' | 'pretty' = 'json', secrets: string[] = []): { log: FastifyBaseLogger; lines: string[] } {
  const lines: string[] = [];
  return { log: createLogger(level, format, secrets, { write: (line: string) => lines.push(line) }), lines };
}

describe('writeAccessLogLine', () => {
  for (const [name, outcome] of Object.entries(outcomes)) {
    for (const format of ['json', 'pretty'] as const) {
      it(`writes byte for byte the line pino writes (${name}, ${format})`, () => {
        mock.method(Date, 'now', () => 1_767_000_000_123);
        try {
          const viaPino = captured('info', format, ['sk-live-abcdef-secret']);
          viaPino.log.child({ reqId: 'req-7' }).info(accessLogLine(outcome, 'POST', name === 'everyStringLong' ? `/${'a'.repeat(1_300)}` : '/v1/chat/completions?k=[redacted]'), 'request');
          const direct = captured('info', format, ['sk-live-abcdef-secret']);
          writeAccessLogLine(direct.log.child({ reqId: 'req-7' }), 'info', 'req-7', outcome, 'POST', name === 'everyStringLong' ? `/${'a'.repeat(1_300)}` : '/v1/chat/completions?k=[redacted]');
          assert.equal(viaPino.lines.length, 1);
          assert.deepEqual(direct.lines, viaPino.lines);
          if (name === 'secret') assert.ok(!direct.lines[0]?.includes('sk-live'));
        } finally {
          mock.restoreAll();
        }
      });
    }
  }

  it('writes the same line through the batched stdout sink (the line given without its newline)', () => {
    mock.method(Date, 'now', () => 1_767_000_000_123);
    try {
      const viaPino = captured('info', 'json', ['sk-live-abcdef-secret']);
      viaPino.log.child({ reqId: 'req-8' }).info(accessLogLine(outcomes.everything as RequestOutcome, 'POST', '/v1/chat/completions'), 'request');
      let written = '';
      const sink = new BatchedLineSink(9, { write: (_fd, buffer, offset, length) => ((written += buffer.toString('utf8', offset, offset + length)), length) });
      const log = createLogger('info', 'json', ['sk-live-abcdef-secret'], sink);
      writeAccessLogLine(log.child({ reqId: 'req-8' }), 'info', 'req-8', outcomes.everything as RequestOutcome, 'POST', '/v1/chat/completions');
      log.warn('after');
      sink.flushSync();
      sink.close();
      const [line, after] = written.split(/(?<=\n)/);
      assert.equal(line, viaPino.lines[0]);
      assert.match(after ?? '', /"msg":"after"/);
    } finally {
      mock.restoreAll();
    }
  });

  it('follows the level of the logger (and of a child whose level was changed)', () => {
    const { log, lines } = captured('info');
    writeAccessLogLine(log, 'debug', 'r', base, 'GET', '/health');
    assert.equal(lines.length, 0);
    const child = log.child({ reqId: 'r' });
    child.level = 'debug';
    writeAccessLogLine(child, 'debug', 'r', base, 'GET', '/health');
    assert.equal(lines.length, 1);
    assert.equal((JSON.parse(lines[0] ?? '') as { level: number }).level, 20);
    log.level = 'warn';
    writeAccessLogLine(log, 'info', 'r', base, 'GET', '/');
    assert.equal(lines.length, 1);
  });

  it('falls back to the ordinary log call on a logger createLogger did not make', () => {
    const lines: Record<string, unknown>[] = [];
    const log = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) }) as unknown as FastifyBaseLogger;
    writeAccessLogLine(log.child({ reqId: 'q' }), 'info', 'q', base, 'POST', '/v1/chat/completions');
    assert.equal(lines.length, 1);
    assert.equal(lines[0]?.msg, 'request');
    assert.equal(lines[0]?.reqId, 'q');
    assert.equal(lines[0]?.status, 200);
  });
});
