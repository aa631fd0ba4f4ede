import assert from 'node:assert/strict';
import { after } from 'node:test';
import { startOpenAIWireHarness } from '../../../test-support/openai-wire-provider-harness.ts';
import { runProviderAdapterContract } from '../../../test-support/provider-adapter.contract.ts';
import { withSameProtocolHint } from '../../../test-support/with-same-protocol-hint.ts';

// Poe's OpenAI-compatible API: reasoning bots put their thinking in the content, errors are
// `{"error":{"code","type","message"}}` (https://creator.poe.com/api-reference/errors).
const start = () =>
  startOpenAIWireHarness({
    dialect: { reasoning: 'poe-thinking' },
    config: (baseUrl) => ({ id: 'poe', type: 'poe', protocol: 'openai', api_key: 'poe-contract', base_url: baseUrl }),
    errorBody: (status, message) => ({ error: { code: status, type: status === 429 ? 'rate_limit_error' : 'invalid_request_error', message } }),
  });

runProviderAdapterContract({ name: 'poe (openai protocol)', start });

// The same cases as the OpenAI chat route's same-protocol fast path calls the adapter: the client's plain messages alongside.
let hinted = 0;
runProviderAdapterContract({
  name: 'poe (openai protocol), same-protocol fast path',
  start: async () => {
    const harness = await withSameProtocolHint(start());
    return { ...harness, close: () => ((hinted = harness.hinted()), harness.close()) };
  },
});
after(() => assert.ok(hinted >= 10, `the fast-path suite called the adapter with client messages (${hinted} times)`));
