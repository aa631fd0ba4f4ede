import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { ensureChromium } from '../scripts/ensure-chromium.ts';

/** Where browser tests leave their screenshots for a reviewer (gitignored). */
export const UI_ARTIFACTS = join(import.meta.dirname, '..', 'test-artifacts', 'ui');

export interface TestBrowser {
  context: BrowserContext;
  close(): Promise<void>;
}

/**
 * Debian's chromium, headless, with a fresh profile, no background traffic and no sandbox (CI
 * runs as root); pages reach only loopback.
 */
export async function launchTestBrowser(): Promise<TestBrowser> {
  const executablePath = ensureChromium();
  mkdirSync(UI_ARTIFACTS, { recursive: true });
  const profile = mkdtempSync(join(tmpdir(), 'llmux-chromium-'));
  const launch = (): Promise<BrowserContext> =>
    chromium.launchPersistentContext(profile, {
      executablePath,
      headless: true,
      args: ['--no-sandbox', '--disable-background-networking', '--disable-gpu', '--no-first-run', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
      viewport: { width: 1280, height: 900 },
      colorScheme: 'light',
      timeout: 60_000,
    });
  // A start that stalls on a machine under load is tried once more before the tests fail.
  const context = await launch().catch(launch);
  // Anything but loopback is refused: the dashboard must need no network.
  await context.route(/^https?:\/\/(?!127\.0\.0\.1[:/])/, (route) => route.abort('blockedbyclient'));
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
