import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import type { Page } from 'playwright-core';
import type { ChatStreamEvent } from '../src/canonical/chat-stream-event.ts';
import type { RequestOutcome } from '../src/observability/request-outcome.ts';
import { openSqliteStateStore } from '../src/state/sqlite/open-sqlite-state-store.ts';
import type { StateStore } from '../src/state/state-store.ts';
import type { UsageRecord } from '../src/state/usage-record.ts';
import { launchTestBrowser, UI_ARTIFACTS, type TestBrowser } from '../test-support/launch-test-browser.ts';
import { ScriptedProvider } from '../test-support/scripted-provider.ts';
import { startTestGateway, type TestGateway } from '../test-support/start-test-gateway.ts';

const ADMIN_KEY = 'admin-secret-for-the-dashboard';

/** An answer in three pieces, so a stream really streams. */
function answer(): ChatStreamEvent[] {
  return [
    { type: 'response-start', id: 'resp-ui', model: 'small' },
    { type: 'text-start', id: 't' },
    { type: 'text-delta', id: 't', text: 'Hello ' },
    { type: 'text-delta', id: 't', text: 'from the ' },
    { type: 'text-delta', id: 't', text: 'dashboard.' },
    { type: 'text-end', id: 't' },
    { type: 'finish', finishReason: 'stop', usage: { input: { total: 1200 }, output: { total: 400 }, source: 'upstream' } },
  ];
}

/** A day of earlier traffic by another key, so the charts have a shape (and the key filter something to leave out). */
function earlierUsage(now: number): UsageRecord[] {
  return Array.from({ length: 240 }, (_, index) => {
    const wave = 1 + Math.sin(index / 20);
    const failed = index % 37 === 0;
    const record: UsageRecord = {
      time: now - 3_600_000 - index * 5 * 60_000,
      requestId: `earlier-${index}`,
      keyName: 'batch-jobs',
      protocol: index % 3 === 0 ? 'ollama' : 'openai',
      route: index % 3 === 0 ? '/api/chat' : '/v1/chat/completions',
      requestedModel: 'house',
      provider: 'fake',
      upstreamModel: 'small',
      attempts: 1,
      status: failed ? 502 : 200,
      result: failed ? 'error' : 'success',
      streamed: index % 2 === 0,
      inputTokens: Math.round(800 * wave),
      cachedInputTokens: 0,
      cacheWriteTokens: 0,
      outputTokens: Math.round(300 * wave),
      reasoningTokens: 0,
      totalMs: 400 + 300 * wave + (index % 7) * 40,
    };
    if (!failed) {
      record.ttftMs = 120 + 80 * wave + (index % 5) * 15;
      record.costUsd = (record.inputTokens * 1 + record.outputTokens * 2) / 1_000_000;
    }
    return record;
  });
}

describe('the dashboard in a real browser', { timeout: 240_000 }, () => {
  const directory = mkdtempSync(join(tmpdir(), 'llmux-ui-'));
  // $1 per million input tokens, $2 per million output tokens, published in the model list.
  const provider = new ScriptedProvider('fake', [{ id: 'small', contextLength: 8192, capabilities: ['completion', 'tools', 'vision'], price: { input: 1, output: 2 } }]);
  provider.script = () => (async function* () { yield* answer(); })();
  let state: StateStore;
  let gateway: TestGateway;
  let browser: TestBrowser;
  let page: Page;
  let secret = '';
  const pageErrors: string[] = [];

  before(async () => {
    state = await openSqliteStateStore(join(directory, 'llmux.db'));
    gateway = await startTestGateway({ admin_key: ADMIN_KEY, models: [{ name: 'house', targets: ['fake/small'] }] }, { adapters: [provider], state });
    await gateway.gateway.services.router.list();
    await state.usage.append(earlierUsage(Date.now()));
    browser = await launchTestBrowser();
    page = await browser.context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
  });
  // Bounded: a browser that will not close fails the run rather than holding it open.
  after(
    async () => {
      await browser?.close();
      await gateway?.close();
      await state?.close();
      rmSync(directory, { recursive: true, force: true });
    },
    { timeout: 60_000 },
  );

  const client = (apiKey: string) => new OpenAI({ baseURL: `${gateway.baseUrl}/v1`, apiKey, maxRetries: 0 });
  const shot = (name: string) => page.screenshot({ path: join(UI_ARTIFACTS, `${name}.png`), fullPage: true });
  /** The next outcome of a request by `keyName` the gateway publishes (budgets and usage counted it first: listeners run in order). */
  const nextOutcomeOf = (keyName: string) =>
    new Promise<RequestOutcome>((resolve) => {
      const unsubscribe = gateway.gateway.services.outcomes.subscribe((outcome) => {
        if (outcome.keyName !== keyName) return;
        unsubscribe();
        resolve(outcome);
      });
    });

  it('asks for the admin key, then creates a key whose secret is shown once and works from the openai SDK', async () => {
    await page.goto(`${gateway.baseUrl}/ui/#/keys`);
    await page.locator('#admin-key-dialog[open]').waitFor();
    await page.fill('#admin-key-dialog input[name=key]', ADMIN_KEY);
    await page.click('#admin-key-dialog button[value=save]');
    await page.fill('form[aria-label="Create a key"] input[name=name]', 'team-a');
    await page.fill('form[aria-label="Create a key"] input[name=budget]', '5/month');
    await page.click('form[aria-label="Create a key"] button.primary');
    secret = (await page.locator('#new-key-secret').textContent()) ?? '';
    assert.match(secret, /\S{20,}/);
    // A running server looks for new and revoked keys twice a second; the test does not wait for that poll.
    await gateway.gateway.services.auth.refreshStoredKeys();
    await shot('keys-secret');
    await page.click('dialog button[value=close]');
    await page.locator('tr[data-key="team-a"]').waitFor();
    // The spend is counted when the request's outcome is published, just after its response ended.
    const counted = nextOutcomeOf('team-a');
    const completion = await client(secret).chat.completions.create({ model: 'house', messages: [{ role: 'user', content: 'Hi' }] });
    assert.equal(completion.choices[0]?.message.content, 'Hello from the dashboard.');
    assert.equal((await counted).status, 200);
    await page.reload();
    await page.locator('tr[data-key="team-a"] meter').waitFor();
    assert.match((await page.locator('tr[data-key="team-a"]').textContent()) ?? '', /\$0\.002 of \$5\/month/);
    await shot('keys');
    await page.click('button[aria-label="Edit team-a"]');
    await page.fill('dialog form[aria-label="Edit team-a"] input[name=models]', 'house, small');
    await page.fill('dialog form[aria-label="Edit team-a"] input[name=rpm]', '120');
    await page.click('dialog form[aria-label="Edit team-a"] button.primary');
    await page.locator('tr[data-key="team-a"]', { hasText: '120 / –' }).waitFor();
    assert.match((await page.locator('tr[data-key="team-a"]').textContent()) ?? '', /housesmall120 \/ –/);
    const stored = await state.keys.get('team-a');
    assert.deepEqual([stored?.models, stored?.rpm, stored?.budget], [['house', 'small'], 120, { usd: 5, period: 'month' }]);
  });

  it('shows a request in the live view as it finishes, with its outcome record on click', async () => {
    await page.goto(`${gateway.baseUrl}/ui/#/live`);
    await page.getByText('Connected').waitFor();
    const { response } = await client(secret).chat.completions.create({ model: 'house', messages: [{ role: 'user', content: 'secret prompt text' }], stream: true }).withResponse();
    const requestId = response.headers.get('x-request-id') ?? '';
    const row = page.locator(`tr[data-request-id="${requestId}"]`);
    await row.waitFor();
    assert.match((await row.textContent()) ?? '', /200 success.*house → fake\/small.*team-a.*1,200 in · 400 out/);
    await row.focus();
    await page.keyboard.press('Enter');
    const record = JSON.parse((await page.locator('#outcome-record').textContent()) ?? '{}') as Record<string, unknown>;
    assert.deepEqual([record.requestId, record.keyName, record.provider, record.streamed, record.costUsd], [requestId, 'team-a', 'fake', true, 0.002]);
    assert.doesNotMatch(JSON.stringify(record), /secret prompt text/);
    await shot('live');
    await page.keyboard.press('Escape');
  });

  it('counts the requests, tokens and cost in the overview charts, filtered by key', async () => {
    await page.goto(`${gateway.baseUrl}/ui/#/overview`);
    await page.click('button:text("Last hour")');
    await page.selectOption('select[name=key]', 'team-a');
    // Exactly 2: the unfiltered day's 242 shown until the filters apply also contains a 2.
    await page.locator('.card .value').first().filter({ hasText: /^2$/ }).waitFor();
    const cards = await page.locator('.card').allTextContents();
    assert.ok(cards.some((text) => /Tokens3,200/.test(text.replace(/\s/g, ''))), cards.join(' | '));
    assert.ok(cards.some((text) => text.includes('$0.004')), cards.join(' | '));
    assert.ok((await page.locator('figure:has(h2:text("Requests")) rect').count()) >= 1);
    assert.ok((await page.locator('figure:has(h2:text("Time to first token")) circle').count()) >= 1);
    await shot('overview-team-a-last-hour');
    await page.selectOption('select[name=key]', '');
    await page.click('button:text("Last day")');
    await page.locator('.card .value').first().filter({ hasText: /^242$/ }).waitFor();
    await shot('overview');
    if (process.env.LLMUX_UPDATE_DOCS_SCREENSHOT === '1') {
      mkdirSync(join(import.meta.dirname, '..', 'docs'), { recursive: true });
      copyFileSync(join(UI_ARTIFACTS, 'overview.png'), join(import.meta.dirname, '..', 'docs', 'ui-overview.png'));
    }
  });

  it('lists routable models with targets, capabilities, context and price, and the provider health', async () => {
    await page.goto(`${gateway.baseUrl}/ui/#/models`);
    const row = page.locator('tr', { has: page.locator('th', { hasText: 'house' }) });
    await row.waitFor();
    assert.match((await row.textContent()) ?? '', /1\. fake\/small.*completion.*tools.*vision.*8,192.*\$1 \/ \$2/);
    assert.match((await page.locator('article[aria-label="Provider fake"]').textContent()) ?? '', /attempts in the last hour, none failed/);
    await shot('models');
  });

  it('streams an answer in the playground through each client protocol this build speaks', async () => {
    await page.goto(`${gateway.baseUrl}/ui/#/playground`);
    await page.locator('#pg-protocol option[value=ollama]').waitFor({ state: 'attached' });
    const protocols = await page.locator('#pg-protocol option:not([disabled])').evaluateAll((options) => options.map((option) => (option as unknown as { value: string }).value));
    assert.ok(protocols.includes('openai') && protocols.includes('ollama'), protocols.join(','));
    await page.fill('input[name=client-key]', secret);
    for (const protocol of protocols) {
      await page.selectOption('#pg-protocol', protocol);
      await page.fill('textarea[name=prompt]', `Hello over ${protocol}`);
      await page.click('#pg-send');
      await page.locator('#pg-output', { hasText: 'Hello from the dashboard.' }).waitFor();
      await page.locator('#pg-facts dd', { hasText: '$0.002' }).waitFor();
      const facts = (await page.locator('#pg-facts').textContent()) ?? '';
      assert.match(facts, /Routed tofake \/ small/);
      assert.match(facts, /x-llmux-overhead-ms\d+\.\d+/);
      assert.match(facts, /Tokens1,200 in · 400 out/);
      assert.match((await page.locator('#pg-wire-response').textContent()) ?? '', /Hello /);
      await shot(`playground-${protocol}`);
    }
  });

  it('sends an image and tools from the playground', async () => {
    await page.selectOption('#pg-protocol', 'openai');
    await page.click('button:text("Clear conversation")');
    // A 1×1 PNG.
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
    await page.setInputFiles('input[name=image]', { name: 'dot.png', mimeType: 'image/png', buffer: png });
    await page.check('input[name=use-tools]');
    await page.fill('textarea[name=prompt]', 'What is in this picture?');
    const asked = provider.requests.length;
    await page.click('#pg-send');
    await page.locator('#pg-conversation', { hasText: 'What is in this picture?' }).waitFor();
    const request = provider.requests[asked];
    assert.deepEqual(request?.tools?.map((tool) => tool.name), ['get_weather']);
    const parts = request?.messages.at(-1)?.parts ?? [];
    assert.deepEqual(parts.map((part) => part.type), ['text', 'image']);
    assert.match(JSON.stringify(parts[1]), /image\/png/);
    await shot('playground-image-tools');
  });

  it('is readable at phone width in the dark theme', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${gateway.baseUrl}/ui/#/overview`);
    await page.click('#theme-button');
    await page.locator('.card').first().waitFor();
    assert.equal(await page.evaluate('document.documentElement.dataset.theme'), 'dark');
    assert.ok(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth + 1'), 'no sideways scrolling');
    await shot('overview-phone-dark');
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('revokes the key in the UI, and the client is refused', async () => {
    await page.goto(`${gateway.baseUrl}/ui/#/keys`);
    await page.click('button[aria-label="Revoke team-a"]');
    await page.click('dialog button[value=revoke]');
    await page.locator('tr[data-key="team-a"]', { hasText: 'revoked' }).waitFor();
    // The server's next look at the stored keys (twice a second when running) finds the revocation.
    await gateway.gateway.services.auth.refreshStoredKeys();
    const status = await client(secret).chat.completions.create({ model: 'house', messages: [{ role: 'user', content: 'Hi' }] }).then(() => 200, (error: { status?: number }) => error.status ?? 0);
    assert.equal(status, 401);
    await shot('keys-revoked');
    assert.deepEqual(pageErrors, []);
  });
});
