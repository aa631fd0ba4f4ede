import { startOpenAIWireHarness } from '../../../test-support/openai-wire-provider-harness.ts';
import { runProviderAdapterContract } from '../../../test-support/provider-adapter.contract.ts';

// Errors as OpenAI answers them (github:openai/openai-node src/core/error.ts reads `error.message`).
runProviderAdapterContract({
  name: 'openai-compatible',
  start: () =>
    startOpenAIWireHarness({
      dialect: { reasoning: 'reasoning_content' },
      config: (baseUrl) => ({ id: 'compatible', type: 'openai-compatible', api_key: 'sk-contract', base_url: baseUrl }),
      errorBody: (status, message) => ({ error: { message, type: status === 429 ? 'rate_limit_error' : 'invalid_request_error', param: null, code: null } }),
    }),
});
