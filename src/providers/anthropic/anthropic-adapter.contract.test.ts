import { startAnthropicProviderHarness } from '../../../test-support/anthropic-provider-harness.ts';
import { runProviderAdapterContract } from '../../../test-support/provider-adapter.contract.ts';

// The Messages API: thinking blocks with signatures, tool use streamed as input_json_delta, usage
// split between message_start and message_delta, errors as {"type":"error","error":{…}}.
runProviderAdapterContract({ name: 'anthropic', start: startAnthropicProviderHarness });
