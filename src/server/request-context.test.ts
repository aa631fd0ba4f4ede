import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FastifyRequest } from 'fastify';
import { createLogger } from '../observability/create-logger.ts';
import type { RequestOutcomeRecorder } from '../observability/request-outcome-recorder.ts';
import { llmuxHeaders, type RequestContext } from './request-context.ts';

describe('llmuxHeaders', () => {
  it('counts neither upstream time nor retry waits as llmux overhead', () => {
    const receivedAt = performance.now() - 10_000;
    const context: RequestContext = {
      receivedAt,
      controller: new AbortController(),
      outcome: {} as RequestOutcomeRecorder,
      routeConfig: {},
      dispatch: { signal: new AbortController().signal, requestId: 'r', log: createLogger('silent'), upstreamMs: 2_000, retryWaitMs: 8_000, degraded: [] },
    };
    const overhead = Number(llmuxHeaders({ id: 'r', llmux: context } as unknown as FastifyRequest)['x-llmux-overhead-ms']);
    // 10 s passed, all of it upstream or waiting: what is left is this test's own few milliseconds, far from the 8 s of waits.
    assert.ok(overhead < 1_000, `overhead ${overhead} ms`);
  });
});
