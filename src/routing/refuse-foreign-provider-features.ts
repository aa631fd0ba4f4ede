import type { ProviderBlockPart } from '../canonical/chat-message.ts';
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
  for (const tool of request.providerTools ?? []) {
    if (tool.provider === provider.type) continue;
    throw new GatewayError(
      'invalid_request',
      `tools[${tool.index}]: '${tool.name}' is the server tool '${tool.type}' of provider type ${tool.provider}, which only a provider of that type can run; ${describe(provider)} cannot`,
      { param: `tools[${tool.index}]`, code: 'unsupported_tool', retryable: false },
    );
  }
  // Every request passes here: plain loops, no arrays built on the way.
  for (const message of request.messages) {
    for (const outer of message.parts) {
      if (outer.type === 'provider-block') refuseForeignBlock(outer, provider);
      else if (outer.type === 'tool-result' && outer.parts !== undefined) {
        for (const inner of outer.parts) if (inner.type === 'provider-block') refuseForeignBlock(inner, provider);
      }
    }
  }
}

function refuseForeignBlock(part: ProviderBlockPart, provider: { id: string; type: string }): void {
  if (part.provider === provider.type) return;
  throw new GatewayError(
    'invalid_request',
    `messages: a '${part.block.type}' block is in the format of provider type ${part.provider} (its server tools and their results); only a provider of that type can take it, ${describe(provider)} cannot`,
    { param: 'messages', code: 'unsupported_content', retryable: false },
  );
}

function describe(provider: { id: string; type: string }): string {
  return `provider '${provider.id}' (type ${provider.type})`;
}
