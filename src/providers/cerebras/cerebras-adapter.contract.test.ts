import { startOpenAIWireHarness } from '../../../test-support/openai-wire-provider-harness.ts';
import { runProviderAdapterContract } from '../../../test-support/provider-adapter.contract.ts';

// Cerebras streams reasoning in `delta.reasoning` and answers errors as a top-level
// `{message,type,param,code}` (https://inference-docs.cerebras.ai/support/error).
runProviderAdapterContract({
  name: 'cerebras',
  start: () =>
    startOpenAIWireHarness({
      dialect: { reasoning: 'reasoning' },
      config: (baseUrl) => ({ id: 'cerebras', type: 'cerebras', api_key: 'csk-contract', base_url: baseUrl }),
      errorBody: (status, message) => ({ message, type: status === 429 ? 'too_many_requests_error' : 'invalid_request_error', param: null, code: null }),
    }),
});
