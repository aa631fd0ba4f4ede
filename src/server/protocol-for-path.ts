import type { InboundProtocol } from './register-protocol-scope.ts';

/**
 * The protocol whose error shape a path's refusals take, before any route is matched (Host and
 * CORS refusals): the one with the longest matching `pathPrefixes` entry. Undefined for paths no
 * protocol claims (`/`, `/health`).
 */
export function protocolForPath(protocols: readonly InboundProtocol[], url: string): InboundProtocol | undefined {
  let best: InboundProtocol | undefined;
  let bestLength = -1;
  for (const protocol of protocols) {
    for (const prefix of protocol.pathPrefixes ?? []) {
      if (prefix.length > bestLength && url.startsWith(prefix)) {
        best = protocol;
        bestLength = prefix.length;
      }
    }
  }
  return best;
}
