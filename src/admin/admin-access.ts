import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { presentedKey } from '../auth/client-key-authenticator.ts';
import type { GatewayServices } from '../server/gateway-services.ts';
import { isLoopbackHost } from '../server/host-guard.ts';

export type AdminRefusal = { status: 401 | 403; message: string };

/**
 * Who may use /metrics and /admin/*: the bearer of the admin key (`admin_key` /
 * `LLMUX_ADMIN_KEY`); with no admin key, a caller on this machine while no key at all is
 * configured (as for the model routes); nobody otherwise.
 */
export function checkAdminAccess(request: FastifyRequest, services: GatewayServices): AdminRefusal | undefined {
  const adminKey = services.config.admin_key;
  if (adminKey != null) {
    const presented = presentedKey(request.headers);
    if (presented === undefined) return { status: 401, message: 'missing admin key: send it as "Authorization: Bearer <admin key>"' };
    return sameSecret(presented, adminKey) ? undefined : { status: 401, message: 'invalid admin key' };
  }
  if (services.auth.isOpen && isLoopbackHost(request.socket.remoteAddress ?? '')) return undefined;
  return {
    status: 403,
    message: services.auth.isOpen
      ? 'admin routes are open only to this machine while no key is configured; set admin_key (or LLMUX_ADMIN_KEY) to use them from elsewhere'
      : 'client keys are configured, so admin routes need the admin key: set admin_key (or LLMUX_ADMIN_KEY) and send it as a bearer token',
  };
}

function sameSecret(presented: string, expected: string): boolean {
  const digest = (text: string): Buffer => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(presented), digest(expected));
}
