import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';

/**
 * The Node versions npm is told about, kept in step with what the packages ask for. npm checks
 * each package's `engines.node` against the Node running npm (not the Node 24 the checkout
 * installs and runs on), warning — or with `--engine-strict`, refusing — where it does not fit.
 * llmux's own `engines` is for the packed package: in the checkout, `devEngines` stands in for
 * it (npm 10.9 and later skip the root's `engines` then). fastify's `light-my-request` (used
 * only by `inject`) is held at 6.6.0, whose `cookie` 1 takes Node 18; undici 8 wants 22.19.
 * README (Set-up) names what npm still warns about; bin/llmux.js refuses to start below
 * llmux's floor.
 */
const LLMUX_FLOOR = '22.19.0';
/** The oldest Node 20 npm 11 runs on, and what README says happens there. */
const OLD_SYSTEM_NODE = '20.18.1';
const REFUSING_OLD_SYSTEM_NODE = ['undici (node >=22.19.0)'];

// semver comes with fastify; it is what npm itself uses to read `engines`.
const semver = createRequire(import.meta.url)('semver') as { satisfies(version: string, range: string): boolean };

interface LockedPackage {
  engines?: { node?: string };
  devEngines?: { runtime?: { name?: string; version?: string } };
  optional?: boolean;
}

const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as LockedPackage;

function refusing(version: string, { inCheckout }: { inCheckout: boolean }): string[] {
  const lock = JSON.parse(readFileSync(new URL('../package-lock.json', import.meta.url), 'utf8')) as { packages: Record<string, LockedPackage> };
  return (
    Object.entries(lock.packages)
      // npm (arborist #checkEngineAndPlatform) skips the root's engines when it has devEngines.
      .filter(([path]) => !(inCheckout && path === '' && manifest.devEngines !== undefined))
      // npm skips an optional package it cannot install instead of refusing the install.
      .filter(([, info]) => info.optional !== true && info.engines?.node !== undefined && !semver.satisfies(version, info.engines.node))
      .map(([path, info]) => `${path === '' ? 'llmux' : path.replace(/^.*node_modules\//, '')} (node ${info.engines?.node})`)
      .sort()
  );
}

describe('engines: what npm is told about Node versions', () => {
  it(`no installed package asks for more than llmux's own floor, Node ${LLMUX_FLOOR}`, () => {
    assert.deepEqual(refusing(LLMUX_FLOOR, { inCheckout: false }), []);
  });

  it('package.json and bin/llmux.js state that floor; devEngines states what the checkout needs', () => {
    assert.equal(manifest.engines?.node, '>=22.19');
    assert.deepEqual([manifest.devEngines?.runtime?.name, manifest.devEngines?.runtime?.version], ['node', '>=20']);
    assert.match(readFileSync(new URL('../bin/llmux.js', import.meta.url), 'utf8'), /needs Node\.js 22\.19 or newer/);
  });

  it(`in the checkout on an older system Node (${OLD_SYSTEM_NODE}), npm complains about exactly what README names`, () => {
    assert.deepEqual(refusing(OLD_SYSTEM_NODE, { inCheckout: true }), REFUSING_OLD_SYSTEM_NODE);
  });
});
