/**
 * An upstream 401/403 is about the key llmux holds for the provider, not the client's own key;
 * passed on bare ("Wrong API Key"), it sends the client hunting for a fault in its own setup.
 * Undefined for any other status.
 */
export function keyRefusalMessage(status: number, providerId: string, upstreamMessage: string): string | undefined {
  if (status === 401) return `provider '${providerId}' rejected the API key llmux is configured with: ${upstreamMessage} (check its api_key)`;
  if (status === 403) return `provider '${providerId}' refused the request made with the API key llmux is configured with: ${upstreamMessage}`;
  return undefined;
}
