import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import packageJson from '../package.json' with { type: 'json' };

describe('package.json for npm pack', () => {
  it('bundles every runtime dependency, so the packed tarball installs with nothing to fetch', () => {
    assert.deepEqual([...packageJson.bundleDependencies].sort(), Object.keys(packageJson.dependencies).sort());
  });

  it('packs the bin, its build helper and the build, and builds before packing', () => {
    assert.equal(packageJson.bin.llmux, 'bin/llmux.js');
    for (const entry of ['bin/', 'scripts/ensure-built.js', 'dist/', 'ui/']) assert.ok(packageJson.files.includes(entry), entry);
    assert.equal(packageJson.scripts.prepack, 'node scripts/ensure-built.js');
  });
});
