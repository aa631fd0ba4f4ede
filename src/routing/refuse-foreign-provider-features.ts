import type { ChatRequest } from '../canonical/chat-request.ts';
import { GatewayError } from '../canonical/gateway-error.ts';

/**
 * Refuses, with a 400 naming them, what only another provider type can act on: its server-side
 * tools (`providerTools`) and the blocks they left in the history (`provider-block` parts, also
 * inside tool results).
 * Dropping either would change the answer (the model would lack a tool it was given, or results it
 * already saw), so neither is ever dropped quietly.
 */
export function refuseForeignProviderFeatures(request: ChatRequest, provider: { id: string; type: string }): void {
  const where = `provider '${provider.id}' (type ${provider.type})`;
  for (const tool of request.providerTools ?? []) {
    if (tool.provider === provider.type) continue;
    throw new GatewayError(
      'invalid_request',
      `tools[${tool.index}]: '${tool.name}' is the server tool '${tool.type}' of provider type ${tool.provider}, which only a provider of that type can run; ${where} cannot`,
      { param: `tools[${tool.index}]`, code: 'unsupported_tool', retryable: false },
    );
  }
  for (const message of request.messages) {
    for (const part of message.parts.flatMap((outer) => (outer.type === 'tool-result' ? (outer.parts ?? []) : [outer]))) {
      if (part.type !== 'provider-block' || part.provider === provider.type) continue;
      throw new GatewayError(
        'invalid_request',
        `messages: a '${part.block.type}' block is in the format of provider type ${part.provider} (its server tools and their results); only a provider of that type can take it, ${where} cannot`,
        { param: 'messages', code: 'unsupported_content', retryable: false },
      );
    }
  }
}
