import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatTable } from './format-table.ts';

describe('formatTable', () => {
  it('aligns columns under a header, two spaces apart, without trailing spaces', () => {
    assert.equal(
      formatTable(
        ['NAME', 'PROVIDER', 'NOTE'],
        [
          ['qwen3', 'cerebras', ''],
          ['gpt-4o-long-name', 'poe', 'ok'],
        ],
      ),
      'NAME              PROVIDER  NOTE\nqwen3             cerebras\ngpt-4o-long-name  poe       ok',
    );
  });

  it('prints only the header when there are no rows', () => {
    assert.equal(formatTable(['A', 'B'], []), 'A  B');
  });
});
