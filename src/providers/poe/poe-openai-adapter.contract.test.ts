import { startOpenAIWireHarness } from '../../../test-support/openai-wire-provider-harness.ts';
import { runProviderAdapterContract } from '../../../test-support/provider-adapter.contract.ts';

// Poe's OpenAI-compatible API: reasoning bots put their thinking in the content, errors are
// `{"error":{"code","type","message"}}` (https://creator.poe.com/api-reference/errors).
runProviderAdapterContract({
  name: 'poe (openai protocol)',
  start: () =>
    startOpenAIWireHarness({
      dialect: { reasoning: 'poe-thinking' },
      config: (baseUrl) => ({ id: 'poe', type: 'poe', protocol: 'openai', api_key: 'poe-contract', base_url: baseUrl }),
      errorBody: (status, message) => ({ error: { code: status, type: status === 429 ? 'rate_limit_error' : 'invalid_request_error', message } }),
    }),
});
