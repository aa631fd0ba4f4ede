import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLogger } from '../observability/create-logger.ts';
import { BudgetGuard } from './budget-guard.ts';

describe('BudgetGuard', () => {
  it('refuses once a key or the gateway spent its budget, renews with the period, and warns once at 80 %', () => {
    let now = Date.UTC(2026, 0, 31, 23, 0);
    const warnings: string[] = [];
    const log = createLogger('silent');
    log.warn = ((_fields: unknown, message: string) => {
      warnings.push(message);
    }) as unknown as typeof log.warn;
    const guard = new BudgetGuard({ usd: 10, period: 'month' }, log, () => now);
    const daily = { usd: 1, period: 'day' as const };
    assert.equal(guard.check('alice', daily), undefined);
    guard.record('alice', 0.85, daily);
    assert.deepEqual(warnings, ["budget of key 'alice': 85 % of $1/day spent ($0.85)"]);
    guard.record('alice', 0.05, daily);
    assert.equal(warnings.length, 1, 'warned once');
    assert.equal(guard.check('alice', daily), undefined);
    guard.record('alice', 0.1, daily);
    const refusal = guard.check('alice', daily);
    assert.equal(refusal?.status, 429);
    assert.equal(refusal?.retryable, false);
    assert.equal(refusal?.code, 'insufficient_quota');
    assert.equal(refusal?.message, "budget of $1/day for key 'alice' is used up ($1 spent); it renews at 2026-02-01T00:00:00.000Z");
    assert.equal(refusal?.retryAfterSeconds, 3600);
    assert.equal(guard.check('bob', daily), undefined, 'keys are apart');
    guard.record('bob', 9, undefined);
    assert.match(guard.check('bob', undefined)?.message ?? '', /^budget of \$10\/month for this gateway \(all keys\) is used up \(\$10 spent\)/);
    now = Date.UTC(2026, 1, 1, 0, 1);
    assert.equal(guard.check('alice', daily), undefined, 'a new day and month');
    assert.equal(guard.spent('alice', 'month'), 0);
    guard.record('alice', 0.5, daily);
    now = Date.UTC(2026, 1, 1, 23, 59, 59, 999);
    assert.equal(guard.spent('alice', 'day'), 0.5, 'the same day to its last millisecond');
    now = Date.UTC(2026, 1, 2);
    assert.equal(guard.spent('alice', 'day'), 0, 'a new day, the same month');
    assert.equal(guard.spent('alice', 'month'), 0.5);
    assert.equal(guard.spent(undefined, 'month'), 0.5);
  });

  it('lets a request through without reading the clock when no budget applies to it', () => {
    let reads = 0;
    const clock = (): number => {
      reads++;
      return Date.UTC(2026, 0, 31, 23, 0);
    };
    const guard = new BudgetGuard(undefined, createLogger('silent'), clock);
    guard.record('alice', 5, undefined);
    const before = reads;
    assert.equal(guard.check('alice', undefined), undefined);
    assert.equal(guard.check(undefined, undefined), undefined);
    assert.equal(reads, before);
    // A key's budget still applies, with the clock read for it.
    assert.equal(guard.check('alice', { usd: 5, period: 'day' })?.status, 429);
    assert.ok(reads > before);
  });

  it("starts from the day's and month's spend the usage records hold, keys and the gateway's total", async () => {
    const now = Date.UTC(2026, 4, 20, 15);
    const asked: number[][] = [];
    const guard = new BudgetGuard({ usd: 10, period: 'month' }, createLogger('silent'), () => now);
    guard.record('alice', 0.25, undefined);
    const periods = [Date.UTC(2026, 4, 20), Date.UTC(2026, 4, 1)];
    await guard.load({
      spend: async (since) => {
        asked.push([since]);
        return since === periods[0] ? 1.5 : 9.5;
      },
      spendByKey: async (since) => {
        asked.push([since]);
        return new Map(since === periods[0] ? [['alice', 0.5]] : [['alice', 3], ['bob', 4.5]]);
      },
    });
    assert.deepEqual(asked.flat().sort(), [...periods, ...periods].sort());
    assert.deepEqual([guard.spent('alice', 'day'), guard.spent('alice', 'month')], [0.5, 3], 'what the records hold, not added to what was there');
    assert.deepEqual([guard.spent('bob', 'day'), guard.spent('bob', 'month')], [0, 4.5]);
    assert.deepEqual([guard.spent(undefined, 'day'), guard.spent(undefined, 'month')], [1.5, 9.5], "the gateway's total, records without a key included");
    assert.equal(guard.check('bob', { usd: 4, period: 'month' })?.status, 429);
    assert.equal(guard.check('carol', undefined), undefined);
    guard.record('carol', 0.5, undefined);
    assert.match(guard.check('carol', undefined)?.message ?? '', /^budget of \$10\/month for this gateway \(all keys\) is used up \(\$10 spent\)/);
  });
});
