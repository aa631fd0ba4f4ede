import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OutcomeHub } from './outcome-hub.ts';
import { RequestOutcomeRecorder } from './request-outcome-recorder.ts';
import type { RequestOutcome } from './request-outcome.ts';

const done = { finished: true, headersSent: true, status: 200 };

describe('RequestOutcomeRecorder bookkeeping', () => {
  it('gives an outcome with nothing degraded an empty array that refuses changes', () => {
    const outcomes: RequestOutcome[] = [];
    for (const requestId of ['a', 'b']) {
      const recorder = new RequestOutcomeRecorder({ requestId, protocol: 'openai', route: '/v1/chat/completions' }, (outcome) => outcomes.push(outcome));
      recorder.addDegraded([]);
      recorder.finish(done, () => undefined);
    }
    assert.equal(outcomes.length, 2);
    assert.deepEqual(outcomes[0]?.degraded, []);
    assert.throws(() => outcomes[0]?.degraded.push({ field: 'x', reason: 'y' }), TypeError);
    assert.deepEqual(outcomes[1]?.degraded, []);
  });

  it('keeps every degraded field, in order, on its own outcome only', () => {
    const hub = new OutcomeHub();
    const seen: RequestOutcome[] = [];
    hub.subscribe((outcome) => seen.push(outcome));
    const degraded = hub.begin({ requestId: 'd', protocol: 'openai', route: '/v1/chat/completions' });
    degraded.addDegraded([{ field: 'top_k', reason: 'not supported' }]);
    degraded.addDegraded([{ field: 'seed', reason: 'dropped' }]);
    const plain = hub.begin({ requestId: 'p', protocol: 'openai', route: '/v1/chat/completions' });
    assert.equal(hub.inFlightCount, 2);
    plain.finish(done, () => undefined);
    degraded.finish(done, () => undefined);
    assert.equal(hub.inFlightCount, 0);
    assert.deepEqual(
      seen.map((outcome) => [outcome.requestId, outcome.degraded.map((entry) => entry.field)]),
      [
        ['p', []],
        ['d', ['top_k', 'seed']],
      ],
    );
  });

  it('waits for held work before finishing, through the hub, once', async () => {
    const hub = new OutcomeHub();
    const seen: RequestOutcome[] = [];
    hub.subscribe((outcome) => seen.push(outcome));
    const recorder = hub.begin({ requestId: 'h', protocol: 'openai', route: '/v1/chat/completions' });
    let release: () => void = () => undefined;
    recorder.hold(new Promise<void>((resolve) => (release = resolve)));
    const finished: RequestOutcome[] = [];
    recorder.finish(done, (outcome) => finished.push(outcome));
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(seen.length, 0, 'not before the held work ends');
    recorder.setUsage({ input: { total: 1 }, output: { total: 2 }, source: 'counted' });
    release();
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(seen.length, 1);
    assert.equal(finished[0], seen[0]);
    assert.equal(seen[0]?.usage?.output.total, 2);
    assert.equal(hub.inFlightCount, 0);
  });
  it('finishes at once when the held work has already ended (a stream whose writer ended before its socket closed), and waits only for work still running', async () => {
    const hub = new OutcomeHub();
    const ended = hub.begin({ requestId: 'e', protocol: 'openai', route: '/v1/chat/completions' });
    ended.hold(Promise.resolve());
    ended.hold(Promise.reject(new Error('the writer failed')));
    await new Promise((resolve) => setImmediate(resolve));
    const finished: RequestOutcome[] = [];
    ended.finish(done, (outcome) => finished.push(outcome));
    assert.equal(finished.length, 1, 'delivered before finish returns');
    assert.equal(hub.inFlightCount, 0);

    const running = hub.begin({ requestId: 'r', protocol: 'openai', route: '/v1/chat/completions' });
    let release: () => void = () => undefined;
    running.hold(Promise.resolve());
    running.hold(new Promise<void>((resolve) => (release = resolve)));
    await new Promise((resolve) => setImmediate(resolve));
    running.finish(done, (outcome) => finished.push(outcome));
    assert.equal(finished.length, 1, 'one held piece still running: not yet');
    release();
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(finished.length, 2);
  });
});
