import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OllamaRunningModels } from './ollama-running-models.ts';

const entry = (servedName: string) => ({ servedName, ollamaName: `${servedName}:latest`, upstreamModel: servedName });

describe('OllamaRunningModels', () => {
  it('keeps a model for its keep_alive, 5 minutes by default, listed longest-remaining first', () => {
    const running = new OllamaRunningModels();
    running.touch(entry('a'), undefined, 1_000);
    running.touch(entry('b'), 3_600_000, 1_000);
    running.touch(entry('c'), Number.POSITIVE_INFINITY, 1_000);
    const listed = running.list(2_000);
    assert.deepEqual(
      listed.map((model) => model.entry.servedName),
      ['c', 'b', 'a'],
    );
    assert.equal(listed[2]?.expiresAt, 301_000);
    assert.equal(listed[0]?.expiresAt, 1_000 + 9_223_372_036_854.775, 'forever is Go’s longest duration, 292 years');
  });

  it('drops expired models and unloads at keep_alive 0', () => {
    const running = new OllamaRunningModels();
    running.touch(entry('a'), 1_000, 0);
    running.touch(entry('b'), undefined, 0);
    assert.deepEqual(
      running.list(1_000).map((model) => model.entry.servedName),
      ['b'],
    );
    running.touch(entry('b'), 0, 1_000);
    assert.deepEqual(running.list(1_000), []);
  });

  it('refreshes the expiry when a model is used again', () => {
    const running = new OllamaRunningModels();
    running.touch(entry('a'), 1_000, 0);
    running.touch(entry('a'), 1_000, 5_000);
    assert.deepEqual(
      running.list(5_500).map((model) => model.expiresAt),
      [6_000],
    );
  });
});
