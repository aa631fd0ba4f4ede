import { GatewayError } from '../../canonical/gateway-error.ts';
import type { ReasoningOptions } from '../../canonical/reasoning-options.ts';
import { quoteClientText } from '../../canonical/quote-client-text.ts';

const LEVELS = new Set(['low', 'medium', 'high', 'max']);

/**
 * Ollama `think` → canonical reasoning: false turns it off, a level is passed on, and true is
 * Ollama's default level, "medium" (ThinkValue.String). Absent leaves it to the provider.
 * https://github.com/ollama/ollama/blob/main/api/types.go (ThinkValue)
 */
export function convertOllamaThink(think: unknown): ReasoningOptions | undefined {
  if (think === undefined || think === null) return undefined;
  if (think === false) return { effort: 'none' };
  if (think === true) return { effort: 'medium' };
  if (typeof think === 'string') {
    if (think === 'low' || think === 'medium' || think === 'high' || think === 'max') return { effort: think };
    throw new GatewayError('invalid_request', `invalid think value: ${quoteClientText(think)} (must be "high", "medium", "low", "max", true, or false)`, {
      param: 'think',
    });
  }
  throw new GatewayError('invalid_request', 'think must be a boolean or string ("high", "medium", "low", "max", true, or false)', { param: 'think' });
}

/** Whether the client asked for thinking (true or a level), as Ollama's ThinkValue.Bool. */
export function wantsThinking(think: unknown): boolean {
  return think === true || (typeof think === 'string' && LEVELS.has(think));
}
