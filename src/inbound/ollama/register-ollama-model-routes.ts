import type { FastifyInstance } from 'fastify';
import { GatewayError } from '../../canonical/gateway-error.ts';
import { fixedStreamBody } from '../../server/stream-body.ts';
import { writeStreamResponse } from '../../server/write-stream-response.ts';
import { encodeNdjsonLine, NDJSON_CONTENT_TYPE } from '../../wire/ndjson-encoder.ts';
import { buildOllamaShowResponse } from './build-ollama-show-response.ts';
import { describeOllamaModel } from './describe-ollama-model.ts';
import { ollamaPullRequestSchema, ollamaShowRequestSchema } from './ollama-model-request-schemas.ts';
import { buildOllamaPsEntry, buildOllamaTagsEntry } from './ollama-model-listing.ts';
import type { OllamaRouteContext } from './ollama-route-context.ts';
import { ollamaErrorLine } from './ollama-stream-encoder.ts';
import { parseOllamaBody } from './parse-ollama-body.ts';
import { clipText, MAX_QUOTED_CHARS } from '../../canonical/quote-client-text.ts';

/** https://github.com/ollama/ollama/blob/main/server/routes.go (copilotChatUserAgentPrefix) */
const COPILOT_USER_AGENT = 'GitHubCopilotChat/';

/** What a real Ollama answers when pulling a name its registry does not have. */
const PULL_NOT_FOUND = 'pull model manifest: file does not exist';

/**
 * The model routes, synthesized from llmux's model list: `GET /api/tags`, `POST /api/show`,
 * `GET /api/ps`, `GET /api/version`, and `POST /api/pull`, which succeeds at once for a model
 * llmux serves (ollama run, Open WebUI and ollama-js need its terminal `success`).
 */
export function registerOllamaModelRoutes(scope: FastifyInstance, context: OllamaRouteContext): void {
  // Public like `/` and `/health`: keyless Ollama clients probe it before anything else, and
  // Ollama answers it to anyone. It says nothing but the version.
  scope.get('/api/version', { config: { public: true } }, async () => ({ version: context.services.config.ollama_version }));

  // A client key limited to some models sees only those, here as on /v1/models.
  scope.get('/api/tags', async (request) => {
    const allowed = request.llmux.dispatch.allowedModels;
    const entries = (await context.directory.list()).filter((entry) => context.directory.allows(entry, allowed));
    return { models: entries.map((entry) => buildOllamaTagsEntry(describeOllamaModel(entry, context.startedAt))) };
  });

  scope.get('/api/ps', async (request) => {
    const allowed = request.llmux.dispatch.allowedModels;
    const running = context.running.list().filter(({ entry }) => context.directory.allows(entry, allowed));
    return { models: running.map(({ entry, expiresAt }) => buildOllamaPsEntry(describeOllamaModel(entry, context.startedAt), expiresAt)) };
  });

  scope.post('/api/show', async (request) => {
    const body = parseOllamaBody(ollamaShowRequestSchema, request.body, 'ShowRequest');
    const name = body.model || body.name || '';
    if (name.length === 0) throw new GatewayError('invalid_request', 'model is required', { param: 'model' });
    const entry = await context.directory.findAllowed(name, request.llmux.dispatch.allowedModels);
    if (entry === undefined) {
      const hint = await context.services.router.knownModelsHint(request.llmux.dispatch.allowedModels);
      throw new GatewayError('not_found', `model '${clipText(name, MAX_QUOTED_CHARS)}' not found; ${hint}`, { param: 'model', code: 'model_not_found' });
    }
    const shown = buildOllamaShowResponse(describeOllamaModel(entry, context.startedAt), body.system ?? undefined);
    // Copilot shows `general.basename` as the model's name; Ollama echoes the requested name to it.
    if (String(request.headers['user-agent'] ?? '').startsWith(COPILOT_USER_AGENT)) (shown.model_info as Record<string, unknown>)['general.basename'] = name;
    return shown;
  });

  scope.post('/api/pull', async (request, reply) => {
    const body = parseOllamaBody(ollamaPullRequestSchema, request.body, 'PullRequest');
    const name = body.model || body.name || '';
    if (name.length === 0) throw new GatewayError('invalid_request', 'invalid model name', { param: 'model' });
    const entry = await context.directory.findAllowed(name, request.llmux.dispatch.allowedModels);
    if (body.stream === false) {
      if (entry === undefined) throw new GatewayError('not_found', PULL_NOT_FOUND, { param: 'model' });
      return { status: 'success' };
    }
    const lines = [encodeNdjsonLine({ status: 'pulling manifest' })];
    lines.push(entry === undefined ? ollamaErrorLine(PULL_NOT_FOUND) : encodeNdjsonLine({ status: 'success' }));
    return writeStreamResponse(request, reply, NDJSON_CONTENT_TYPE, fixedStreamBody(lines));
  });
}
