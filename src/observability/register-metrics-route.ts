import type { FastifyInstance } from 'fastify';
import { checkAdminAccess } from '../admin/admin-access.ts';
import type { GatewayServices } from '../server/gateway-services.ts';
import type { GatewayMetrics } from './gateway-metrics.ts';

/** `GET /metrics` in Prometheus' text format, for the admin key (or loopback while no key is configured). */
export function registerMetricsRoute(app: FastifyInstance, services: GatewayServices, metrics: GatewayMetrics): void {
  app.get('/metrics', async (request, reply) => {
    const refusal = checkAdminAccess(request, services);
    if (refusal !== undefined) return reply.code(refusal.status).type('text/plain; charset=utf-8').send(`${refusal.message}\n`);
    return reply.type(metrics.registry.contentType).send(await metrics.text());
  });
}
