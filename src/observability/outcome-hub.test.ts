import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GatewayError } from '../canonical/gateway-error.ts';
import { OutcomeHub } from './outcome-hub.ts';
import type { RequestOutcome } from './request-outcome.ts';

/** A clock the test moves by hand. */
function manualClock(): { now: () => number; advance: (ms: number) => void } {
  let time = 1000;
  return { now: () => time, advance: (ms) => void (time += ms) };
}

describe('OutcomeHub and the request outcome', () => {
  it('finalises once, with attempts, retry waits left out of the overhead, and the time to first byte', async () => {
    const hub = new OutcomeHub();
    const seen: RequestOutcome[] = [];
    hub.subscribe((outcome) => seen.push(outcome));
    const clock = manualClock();
    const recorder = hub.begin({ requestId: 'r1', protocol: 'openai', route: '/v1/chat/completions', clock: clock.now });
    assert.equal(hub.inFlightCount, 1);
    clock.advance(2);
    const failed = recorder.beginAttempt('a', 'cerebras', 'm1');
    clock.advance(10);
    failed.fail(new GatewayError('overloaded', 'busy', { upstreamStatus: 503 }));
    recorder.addRetryWait(100);
    clock.advance(100);
    const answered = recorder.beginAttempt('b', 'poe', 'm2');
    clock.advance(20);
    answered.succeed();
    answered.fail(new GatewayError('upstream', 'too late'));
    clock.advance(3);
    recorder.noteBytesWritten(50);
    recorder.noteBytesWritten(0);
    recorder.noteBytesWritten(25);
    const closed = await recorder.close({ finished: true, headersSent: true, status: 200 });
    assert.equal(await recorder.close({ finished: false, headersSent: true, status: 200 }), undefined, 'a second close does nothing');
    assert.equal(seen.length, 1);
    assert.equal(seen[0], closed);
    assert.equal(hub.inFlightCount, 0);
    assert.deepEqual(seen[0]?.attempts, [
      { provider: 'a', providerType: 'cerebras', model: 'm1', status: 503, ms: 10, errorKind: 'overloaded' },
      { provider: 'b', providerType: 'poe', model: 'm2', status: 200, ms: 20 },
    ]);
    assert.deepEqual(
      [seen[0]?.provider, seen[0]?.upstreamModel, seen[0]?.result, seen[0]?.status, seen[0]?.totalMs, seen[0]?.overheadMs, seen[0]?.ttftMs, seen[0]?.bytesOut],
      ['b', 'm2', 'success', 200, 135, 5, 135, 75],
    );
  });

  it('tells a client abort, an error, and a drain cut apart', async () => {
    const hub = new OutcomeHub();
    const seen: RequestOutcome[] = [];
    hub.subscribe((outcome) => seen.push(outcome));
    const start = { requestId: 'r', protocol: 'ollama', route: '/api/chat' };
    await hub.begin(start).close({ finished: false, headersSent: true, status: 200 });
    const failed = hub.begin(start);
    failed.noteError(new GatewayError('timeout', 'slow'));
    await failed.close({ finished: true, headersSent: true, status: 200 });
    const cut = hub.begin(start);
    const open = cut.beginAttempt('p', 't', 'm');
    void open;
    hub.markDrainCut();
    await cut.close({ finished: false, headersSent: false, status: 200 });
    assert.deepEqual(
      seen.map((outcome) => [outcome.result, outcome.status, outcome.errorKind]),
      [
        ['client_abort', 499, undefined],
        ['error', 200, 'timeout'],
        ['drain_cut', 503, undefined],
      ],
    );
    assert.deepEqual(seen[2]?.attempts.map((attempt) => attempt.status), [503], 'an attempt still open when the request ended is closed with it');
  });

  it('delivers to every listener even when one throws', async () => {
    const hub = new OutcomeHub();
    const seen: string[] = [];
    hub.subscribe(() => {
      throw new Error('broken listener');
    });
    const unsubscribe = hub.subscribe((outcome) => seen.push(outcome.requestId));
    await hub.begin({ requestId: 'one', protocol: 'none', route: '/health' }).close({ finished: true, headersSent: true, status: 200 });
    unsubscribe();
    await hub.begin({ requestId: 'two', protocol: 'none', route: '/health' }).close({ finished: true, headersSent: true, status: 200 });
    assert.deepEqual(seen, ['one']);
  });

  it('waits for held work (a stream reporting its partial usage) before finalising', async () => {
    const hub = new OutcomeHub();
    const seen: RequestOutcome[] = [];
    hub.subscribe((outcome) => seen.push(outcome));
    const recorder = hub.begin({ requestId: 'r', protocol: 'openai', route: '/v1/chat/completions' });
    let finishStream: () => void = () => undefined;
    recorder.hold(
      new Promise<void>((resolve) => {
        finishStream = resolve;
      }),
    );
    const closing = recorder.close({ finished: false, headersSent: true, status: 200 });
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(seen.length, 0, 'not final while the stream is still winding down');
    recorder.setUsage({ input: { total: 4 }, output: { total: 2 }, source: 'counted' });
    finishStream();
    await closing;
    assert.deepEqual(seen[0]?.usage, { input: { total: 4 }, output: { total: 2 }, source: 'counted' });
  });

  it('finish hands over the outcome at once when nothing is pending, and after the held work otherwise', async () => {
    const hub = new OutcomeHub();
    const plain = hub.begin({ requestId: 'a', protocol: 'openai', route: '/v1/chat/completions', arrivedAt: 5, clock: () => 12 });
    const handed: RequestOutcome[] = [];
    plain.finish({ finished: true, headersSent: true, status: 200 }, (outcome) => handed.push(outcome));
    assert.equal(handed.length, 1, 'synchronously');
    assert.equal(handed[0]?.totalMs, 7, 'counted from the arrival it was given');
    plain.finish({ finished: true, headersSent: true, status: 200 }, (outcome) => handed.push(outcome));
    assert.equal(handed.length, 1, 'once');

    const held = hub.begin({ requestId: 'b', protocol: 'openai', route: '/v1/chat/completions' });
    let release: () => void = () => undefined;
    held.hold(new Promise<void>((resolve) => (release = resolve)));
    held.finish({ finished: true, headersSent: true, status: 200 }, (outcome) => handed.push(outcome));
    assert.equal(handed.length, 1, 'waits for the held work');
    release();
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(handed.length, 2);
    assert.equal(handed[1]?.requestId, 'b');
  });
});
