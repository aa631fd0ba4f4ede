import type { FastifyBaseLogger } from 'fastify';
import type { ClientKeyAuthenticator } from '../auth/client-key-authenticator.ts';
import type { ClientRateLimiter } from '../auth/client-rate-limiter.ts';
import type { GatewayConfig } from '../config/gateway-config-schema.ts';
import type { OutcomeHub } from '../observability/outcome-hub.ts';
import type { ChatDispatcher } from '../routing/chat-dispatcher.ts';
import type { ModelRouter } from '../routing/model-router.ts';
import type { ResponseStore } from '../state/response-store.ts';
import type { CorsPolicy } from './cors-policy.ts';

/** What inbound protocols are given to do their work; built once in main.ts. */
export interface GatewayServices {
  config: GatewayConfig;
  router: ModelRouter;
  dispatcher: ChatDispatcher;
  auth: ClientKeyAuthenticator;
  rateLimiter: ClientRateLimiter;
  cors: CorsPolicy;
  /** Responses API responses created with `store: true`. */
  responses: ResponseStore;
  /** Every request's outcome, delivered to its listeners once the request is over. */
  outcomes: OutcomeHub;
  log: FastifyBaseLogger;
}
