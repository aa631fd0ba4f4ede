import { PassThrough } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { GatewayServices } from '../server/gateway-services.ts';
import type { DashboardSources } from './dashboard-sources.ts';
import type { LiveOutcomeView } from './live-outcome-view.ts';
import { LiveRequestFeed, type LiveFeedEvent } from './live-request-feed.ts';
import { modelOverview } from './model-overview.ts';
import { ProviderHealthTracker } from './provider-health-tracker.ts';
import { serveUiFiles } from './serve-ui-files.ts';
import { SERIES_RANGES, usageSeries } from './usage-series.ts';

const seriesQuerySchema = z.object({
  range: z.enum(Object.keys(SERIES_RANGES) as [keyof typeof SERIES_RANGES]).default('day'),
  key: z.string().min(1).optional(),
  model: z.string().min(1).optional(),
  provider: z.string().min(1).optional(),
});
const KEEP_ALIVE_MS = 15_000;

/**
 * The web dashboard at /ui/ and the admin routes only it needs: `/admin/events` (finished and
 * running requests, as server-sent events), `/admin/requests/:id` (one recent outcome record),
 * `/admin/models` (routable names, targets, prices, provider health) and `/admin/usage/series`
 * (time buckets for the overview charts). Call before the protocol routes are added.
 */
export function registerDashboardRoutes(app: FastifyInstance, services: GatewayServices, sources: DashboardSources): void {
  const feed = new LiveRequestFeed(services.outcomes);
  feed.watch(app);
  const health = new ProviderHealthTracker(services.outcomes);
  const allowed = (request: FastifyRequest, reply: FastifyReply): boolean => {
    const refusal = sources.checkAccess(request);
    if (refusal === undefined) return true;
    void reply.code(refusal.status).send({ error: { message: refusal.message, type: refusal.status === 401 ? 'authentication_error' : 'permission_error' } });
    return false;
  };
  // The page itself holds no data; it is shown whenever the admin routes could be used from here.
  serveUiFiles(app, (request, reply) => {
    if (sources.adminKeySet) return true;
    return allowed(request, reply);
  });

  // An open dashboard must not hold a shutdown for the whole drain: its event streams end first.
  const openStreams = new Set<PassThrough>();
  app.addHook('preClose', (done) => {
    for (const stream of openStreams) stream.end();
    done();
  });

  void app.register(async (scope) => {
    scope.addHook('onRequest', (request, reply, done) => {
      if (allowed(request, reply)) done();
    });

    scope.get('/admin/events', async (request, reply) => {
      const stream = new PassThrough();
      openStreams.add(stream);
      const write = (event: string, data: unknown): void => void stream.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      write('snapshot', { running: feed.running(), recent: feed.recent() });
      const unsubscribe = feed.subscribe((event: LiveFeedEvent) => write(event.type, event.type === 'start' ? event.request : withCost(event.outcome)));
      const keepAlive = setInterval(() => stream.write(': keep-alive\n\n'), KEEP_ALIVE_MS);
      request.raw.once('close', () => {
        clearInterval(keepAlive);
        unsubscribe();
        openStreams.delete(stream);
        stream.end();
      });
      return reply.headers({ 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'x-accel-buffering': 'no' }).send(stream);
    });

    scope.get('/admin/requests/:id', async (request: FastifyRequest<{ Params: { id: string } }>, reply) => {
      const outcome = feed.recent().find((one) => one.requestId === request.params.id);
      if (outcome === undefined) return reply.code(404).send({ error: { message: `no recent request with id '${request.params.id}' (the last 200 are kept)`, type: 'not_found_error' } });
      return { outcome: withCost(outcome) };
    });

    scope.get('/admin/models', async () => ({
      ...(await modelOverview(services.config, services.router, health, sources.priceOf)),
      // Which client protocols the playground can speak to this build.
      protocols: {
        openai: app.hasRoute({ method: 'POST', url: '/v1/chat/completions' }),
        responses: app.hasRoute({ method: 'POST', url: '/v1/responses' }),
        anthropic: app.hasRoute({ method: 'POST', url: '/v1/messages' }),
        ollama: app.hasRoute({ method: 'POST', url: '/api/chat' }),
      },
    }));

    scope.get('/admin/usage/series', async (request, reply) => {
      const parsed = seriesQuerySchema.safeParse(request.query ?? {});
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        return reply.code(400).send({ error: { message: `${issue?.path.join('.') || 'query'}: ${issue?.message ?? 'invalid'}`, type: 'invalid_request_error' } });
      }
      const { range, key, model, provider } = parsed.data;
      if (sources.usageRecords === undefined) return reply.code(503).send({ error: { message: 'this llmux keeps no usage records (no state store)', type: 'api_error' } });
      const now = Date.now();
      const records = await sources.usageRecords(now - SERIES_RANGES[range].spanMs - 1);
      return usageSeries(records, range, { key, model, provider }, now);
    });
  });

  function withCost(outcome: LiveOutcomeView): LiveOutcomeView & { costUsd?: number } {
    const cost = sources.costOf?.(outcome);
    return cost === undefined ? outcome : { ...outcome, costUsd: cost };
  }
}
