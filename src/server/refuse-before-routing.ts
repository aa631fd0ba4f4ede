import type { FastifyReply, FastifyRequest } from 'fastify';
import { GatewayError } from '../canonical/gateway-error.ts';
import { protocolForPath } from './protocol-for-path.ts';
import type { InboundProtocol } from './register-protocol-scope.ts';

/**
 * A 403 answered before any route is matched (the Host guard, CORS): in the error shape of the
 * protocol the path belongs to (`{"error":"…"}` elsewhere), saying why, and logged with the reason.
 */
export function refuseBeforeRouting(request: FastifyRequest, reply: FastifyReply, protocols: readonly InboundProtocol[], message: string, code: string): void {
  const error = new GatewayError('permission', message, { code });
  request.log.info({ status: 403, kind: error.kind, code }, `refused: ${error.message}`);
  const formatted = protocolForPath(protocols, request.url)?.formatError(error) ?? { status: 403, body: { error: error.message } };
  reply.code(formatted.status).headers({ ...formatted.headers }).send(formatted.body);
}
