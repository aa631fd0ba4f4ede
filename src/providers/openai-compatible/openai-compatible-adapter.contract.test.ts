import assert from 'node:assert/strict';
import { after } from 'node:test';
import { startOpenAIWireHarness } from '../../../test-support/openai-wire-provider-harness.ts';
import { runProviderAdapterContract } from '../../../test-support/provider-adapter.contract.ts';
import { withSameProtocolHint } from '../../../test-support/with-same-protocol-hint.ts';

// Errors as OpenAI answers them (github:openai/openai-node src/core/error.ts reads `error.message`).
const start = () =>
  startOpenAIWireHarness({
    dialect: { reasoning: 'reasoning_content' },
    config: (baseUrl) => ({ id: 'compatible', type: 'openai-compatible', api_key: 'sk-contract', base_url: baseUrl }),
    errorBody: (status, message) => ({ error: { message, type: status === 429 ? 'rate_limit_error' : 'invalid_request_error', param: null, code: null } }),
  });

runProviderAdapterContract({ name: 'openai-compatible', start });

// The same cases as the OpenAI chat route's same-protocol fast path calls the adapter: the client's plain messages alongside.
let hinted = 0;
runProviderAdapterContract({
  name: 'openai-compatible, same-protocol fast path',
  start: async () => {
    const harness = await withSameProtocolHint(start());
    return { ...harness, close: () => ((hinted = harness.hinted()), harness.close()) };
  },
});
after(() => assert.ok(hinted >= 10, `the fast-path suite called the adapter with client messages (${hinted} times)`));
