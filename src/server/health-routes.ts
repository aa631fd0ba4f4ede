import type { FastifyInstance } from 'fastify';

/** `/health` for load balancers, and Ollama's `GET`/`HEAD /` heartbeat (the Go CLI calls `HEAD /`). */
export function registerHealthRoutes(app: FastifyInstance): void {
  app.get('/health', async (_request, reply) => reply.send({ status: 'ok' }));
  app.get('/', async (_request, reply) => reply.type('text/plain; charset=utf-8').send('Ollama is running'));
}
