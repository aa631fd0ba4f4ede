import { GatewayError } from '../../canonical/gateway-error.ts';
import { ollamaFullName, type OllamaModelCapabilities } from './describe-ollama-model.ts';
import { quoteClientText } from '../../canonical/quote-client-text.ts';

export interface WantedCapabilities {
  /** `chat` or `generate`: the route, named in Ollama's "does not support" message. */
  route: 'chat' | 'generate';
  tools?: boolean;
  thinking?: boolean;
  insert?: boolean;
}

/**
 * Refuses, with Ollama's status and wording, what the model cannot do. Tools and thinking are
 * refused only when the config or the provider declared the model's capabilities: a guess from the
 * model's family must not turn away a request the upstream would serve. Completion (an
 * embedding-only model) and insert (`suffix`, which nothing downstream could honour otherwise) are
 * refused on the best knowledge available.
 * https://github.com/ollama/ollama/blob/main/server/routes.go (ChatHandler, GenerateHandler)
 */
export function checkOllamaCapabilities(facts: OllamaModelCapabilities, requestedName: string, wanted: WantedCapabilities): void {
  const has = (capability: OllamaModelCapabilities['capabilities'][number]): boolean => facts.capabilities.includes(capability);
  if (!has('completion')) throw refusal(`${quoteClientText(requestedName)} does not support ${wanted.route}`);
  if (wanted.tools === true && facts.capabilitiesDeclared && !has('tools')) throw refusal(`${ollamaFullName(requestedName)} does not support tools`);
  if (wanted.thinking === true && facts.capabilitiesDeclared && !has('thinking')) throw refusal(`${quoteClientText(requestedName)} does not support thinking`);
  if (wanted.insert === true && !has('insert')) throw refusal(`${ollamaFullName(requestedName)} does not support insert`);
}

function refusal(message: string): GatewayError {
  return new GatewayError('invalid_request', message, { param: 'model', retryable: false });
}

/**
 * Whether the model is known (declared, not guessed) not to think. There `think: false` asks for
 * nothing: Ollama ignores it for such models, and sending `reasoning_effort: "none"` upstream
 * would be refused by strict servers for a model without reasoning.
 */
export function knownNotToThink(facts: OllamaModelCapabilities): boolean {
  return facts.capabilitiesDeclared && !facts.capabilities.includes('thinking');
}
