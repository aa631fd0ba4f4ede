import assert from 'node:assert/strict';
import { after } from 'node:test';
import { startOpenAIWireHarness } from '../../../test-support/openai-wire-provider-harness.ts';
import { runProviderAdapterContract } from '../../../test-support/provider-adapter.contract.ts';
import { withSameProtocolHint } from '../../../test-support/with-same-protocol-hint.ts';

// Cerebras streams reasoning in `delta.reasoning` and answers errors as a top-level
// `{message,type,param,code}` (https://inference-docs.cerebras.ai/support/error).
const start = () =>
  startOpenAIWireHarness({
    dialect: { reasoning: 'reasoning' },
    config: (baseUrl) => ({ id: 'cerebras', type: 'cerebras', api_key: 'csk-contract', base_url: baseUrl }),
    errorBody: (status, message) => ({ message, type: status === 429 ? 'too_many_requests_error' : 'invalid_request_error', param: null, code: null }),
  });

runProviderAdapterContract({ name: 'cerebras', start });

// The same cases as the OpenAI chat route's same-protocol fast path calls the adapter: the client's plain messages alongside.
let hinted = 0;
runProviderAdapterContract({
  name: 'cerebras, same-protocol fast path',
  start: async () => {
    const harness = await withSameProtocolHint(start());
    return { ...harness, close: () => ((hinted = harness.hinted()), harness.close()) };
  },
});
after(() => assert.ok(hinted >= 10, `the fast-path suite called the adapter with client messages (${hinted} times)`));
