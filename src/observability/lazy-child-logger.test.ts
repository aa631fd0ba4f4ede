import assert from 'node:assert/strict';
import { describe, it, mock } from 'node:test';
import Fastify from 'fastify';
import type { FastifyBaseLogger } from 'fastify';
import type { Logger } from 'pino';
import { createLogger } from './create-logger.ts';
import { lazyChildLogger } from './lazy-child-logger.ts';
import type { RequestOutcome } from './request-outcome.ts';
import { writeAccessLogLine } from './write-access-log-line.ts';

function captured(level: string): { log: FastifyBaseLogger; lines: string[] } {
  const lines: string[] = [];
  return { log: createLogger(level, 'json', [], { write: (line: string) => lines.push(line) }), lines };
}

const outcome = { requestId: 'r', startedAt: 0, protocol: 'none', route: '/health', attempts: [], status: 200, result: 'success', streamed: false, totalMs: 1, overheadMs: 0.5, bytesOut: 2, degraded: [] } satisfies RequestOutcome;

describe('lazyChildLogger', () => {
  it('makes no child while nothing is logged, or only at levels that are off', () => {
    const { log, lines } = captured('info');
    const child = mock.method(log as Logger, 'child');
    const lazy = lazyChildLogger(log, { reqId: 'r1' }, {});
    lazy.debug('not written');
    lazy.trace({ a: 1 }, 'nor this');
    assert.equal(lazy.level, 'info');
    writeAccessLogLine(lazy, 'info', 'r1', outcome, 'GET', '/health');
    assert.equal(child.mock.callCount(), 0);
    assert.equal(lines.length, 1);
    assert.equal((JSON.parse(lines[0] ?? '') as { reqId: string }).reqId, 'r1');
  });

  it('writes, at enabled levels, the lines the child made at once writes', () => {
    mock.method(Date, 'now', () => 1_700_000_000_000);
    try {
      const eager = captured('info');
      const lazy = captured('info');
      const logs = [eager.log.child({ reqId: 'r2' }, {}), lazyChildLogger(lazy.log, { reqId: 'r2' }, {})];
      for (const log of logs) {
        log.info('plain');
        log.warn({ status: 502, kind: 'upstream' }, 'upstream %s failed', 'poe');
        log.error({ err: new Error('boom') }, 'internal');
        log.debug('dropped');
        log.child({ provider: 'poe' }).info('grandchild');
      }
      assert.equal(eager.lines.length, 4);
      assert.deepEqual(lazy.lines, eager.lines);
    } finally {
      mock.restoreAll();
    }
  });

  it('follows the parent level until it is given its own', () => {
    const { log, lines } = captured('info');
    const lazy = lazyChildLogger(log, { reqId: 'r3' }, {});
    log.level = 'debug';
    assert.equal(lazy.level, 'debug');
    lazy.debug('now on');
    lazy.level = 'error';
    lazy.warn('off for this request');
    assert.equal(log.level, 'debug');
    assert.equal(lines.length, 1);
    assert.match(lines[0] ?? '', /"reqId":"r3".*"msg":"now on"/);
  });

  it('makes pino\'s child at once when the route sets its own level', () => {
    const { log, lines } = captured('info');
    const routeLog = lazyChildLogger(log, { reqId: 'r4' }, { level: 'debug' });
    routeLog.debug('route debug');
    assert.equal(lines.length, 1);
  });

  it('is what Fastify gives each request as request.log', async () => {
    const { log, lines } = captured('info');
    const app = Fastify({ loggerInstance: log, childLoggerFactory: lazyChildLogger, genReqId: () => 'req-5' });
    app.get('/', (request) => {
      request.log.warn({ field: 1 }, 'in the handler');
      return 'ok';
    });
    const response = await app.inject({ method: 'GET', url: '/' });
    await app.close();
    assert.equal(response.body, 'ok');
    const line = lines.map((text) => JSON.parse(text) as Record<string, unknown>).find((entry) => entry.msg === 'in the handler');
    assert.deepEqual([line?.reqId, line?.field, line?.level], ['req-5', 1, 40]);
  });
});
