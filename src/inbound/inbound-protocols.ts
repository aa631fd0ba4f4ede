import type { InboundProtocol } from '../server/register-protocol-scope.ts';

/** Every client-facing protocol llmux speaks; each lives in its own folder. */
export const INBOUND_PROTOCOLS: InboundProtocol[] = [];
