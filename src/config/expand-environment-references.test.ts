import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expandEnvironmentReferences } from './expand-environment-references.ts';

const environment = { KEY: 'sk-1', EMPTY: '', HOST: 'example.com' };

describe('expandEnvironmentReferences', () => {
  it('replaces ${VAR} inside text and marks a lone reference', () => {
    assert.deepEqual(expandEnvironmentReferences('https://${HOST}/v1', environment), {
      value: 'https://example.com/v1',
      unset: [],
      problems: [],
      wholeReference: false,
      referenced: ['HOST'],
    });
    assert.equal(expandEnvironmentReferences('${KEY}', environment).wholeReference, true);
    assert.equal(expandEnvironmentReferences('${KEY}${KEY}', environment).wholeReference, false);
  });

  it('uses the default of ${VAR:-default} when the variable is unset or empty', () => {
    assert.equal(expandEnvironmentReferences('${NOPE:-fallback}', environment).value, 'fallback');
    assert.equal(expandEnvironmentReferences('${EMPTY:-fallback}', environment).value, 'fallback');
    assert.equal(expandEnvironmentReferences('${KEY:-fallback}', environment).value, 'sk-1');
    assert.equal(expandEnvironmentReferences('${NOPE:-}', environment).value, '');
    assert.deepEqual(expandEnvironmentReferences('${NOPE:-a:-b}', environment).value, 'a:-b');
  });

  it('reports unset variables without a default, empty ones included', () => {
    const result = expandEnvironmentReferences('${NOPE}-${EMPTY}-${KEY}', environment);
    assert.deepEqual(result.unset, ['NOPE', 'EMPTY']);
    assert.equal(result.value, '--sk-1');
  });

  it('keeps $${VAR} as a literal ${VAR} and leaves other dollars alone', () => {
    assert.equal(expandEnvironmentReferences('$${KEY} costs $5 or $$', environment).value, '${KEY} costs $5 or $$');
  });

  it('reports malformed references', () => {
    assert.deepEqual(expandEnvironmentReferences('${KEY', environment).problems, ["'${' is not closed with '}'"]);
    assert.match(expandEnvironmentReferences('${1BAD}', environment).problems[0] ?? '', /not a valid variable reference/);
    assert.match(expandEnvironmentReferences('${}', environment).problems[0] ?? '', /not a valid variable reference/);
  });
});
