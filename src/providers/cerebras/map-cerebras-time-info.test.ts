import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mapCerebrasTimeInfo } from './map-cerebras-time-info.ts';

describe('mapCerebrasTimeInfo', () => {
  it('turns seconds into milliseconds, marked as the upstream figures', () => {
    assert.deepEqual(mapCerebrasTimeInfo({ queue_time: 0.25, prompt_time: 0.5, completion_time: 1.5, total_time: 2.5, created: 1754550000.41 }), {
      queueMs: 250,
      promptMs: 500,
      completionMs: 1500,
      totalMs: 2500,
      source: 'upstream',
    });
  });

  it('adds up the parts when total_time is missing and treats missing parts as zero', () => {
    assert.deepEqual(mapCerebrasTimeInfo({ prompt_time: 0.5, completion_time: 1 }), { queueMs: 0, promptMs: 500, completionMs: 1000, totalMs: 1500, source: 'upstream' });
  });

  it('is undefined for absent, empty or unreadable time_info', () => {
    assert.equal(mapCerebrasTimeInfo(undefined), undefined);
    assert.equal(mapCerebrasTimeInfo(null), undefined);
    assert.equal(mapCerebrasTimeInfo({ created: 1 }), undefined);
    assert.equal(mapCerebrasTimeInfo({ total_time: 'slow' }), undefined);
    assert.equal(mapCerebrasTimeInfo({ total_time: 1, created: 'now' }), undefined);
    assert.equal(mapCerebrasTimeInfo([1, 2]), undefined);
    assert.equal(mapCerebrasTimeInfo('1.5'), undefined);
    assert.deepEqual(mapCerebrasTimeInfo({ total_time: 1, queue_time: null, extra: 'kept aside' }), { queueMs: 0, promptMs: 0, completionMs: 0, totalMs: 1000, source: 'upstream' });
  });
});
