import { after, before, beforeEach } from 'node:test';
import type { TestGateway } from './start-test-gateway.ts';

/**
 * A suite's gateway, as node:test hooks: `start` before the suite, the gateway closed after it,
 * and `reset` before each test. The object returned is filled in by the `before` hook, so its
 * fields are read inside tests (and hooks), never at the suite's top level.
 */
export function gatewayPerSuite<Fixture extends { gateway: TestGateway }>(start: () => Promise<Fixture>, reset: (fixture: Fixture) => void): Fixture {
  const suite = {} as Fixture;
  before(async () => {
    Object.assign(suite, await start());
  });
  after(() => suite.gateway.close());
  beforeEach(() => reset(suite));
  return suite;
}
