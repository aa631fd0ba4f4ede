import { after, before, beforeEach } from 'node:test';

/** What a suite's gateway fixture holds: llmux, whatever serves it, and a way to close them all. */
export interface SuiteFixture {
  close(): Promise<void>;
}

/**
 * A suite's gateway, as node:test hooks: `start` before the suite, the fixture closed after it,
 * and `reset` before each test. The object returned is filled in by the `before` hook, so its
 * fields are read inside tests (and hooks), never at the suite's top level.
 */
export function gatewayPerSuite<Fixture extends SuiteFixture>(start: () => Promise<Fixture>, reset: (fixture: Fixture) => void): Fixture {
  const suite = {} as Fixture;
  before(async () => {
    Object.assign(suite, await start());
  });
  after(() => suite.close());
  beforeEach(() => reset(suite));
  return suite;
}
