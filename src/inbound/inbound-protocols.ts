import type { InboundProtocol } from '../server/register-protocol-scope.ts';
import { OPENAI_INBOUND_PROTOCOL } from './openai/openai-inbound-protocol.ts';
import { OLLAMA_PROTOCOL } from './ollama/ollama-protocol.ts';
import { ANTHROPIC_INBOUND_PROTOCOL } from './anthropic/anthropic-inbound-protocol.ts';

/** Every client-facing protocol llmux speaks; each lives in its own folder. */
export const INBOUND_PROTOCOLS: InboundProtocol[] = [OPENAI_INBOUND_PROTOCOL, OLLAMA_PROTOCOL, ANTHROPIC_INBOUND_PROTOCOL];
