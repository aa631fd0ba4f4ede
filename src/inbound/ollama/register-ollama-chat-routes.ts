import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ChatMessage, MessagePart } from '../../canonical/chat-message.ts';
import type { ChatRequest } from '../../canonical/chat-request.ts';
import { responseText } from '../../canonical/chat-response.ts';
import { GatewayError } from '../../canonical/gateway-error.ts';
import { writeStreamResponse } from '../../server/write-stream-response.ts';
import { preloadTextTokenizer } from '../../tokens/text-tokenizer.ts';
import { NDJSON_CONTENT_TYPE } from '../../wire/ndjson-encoder.ts';
import { buildOllamaFinalResponse } from './build-ollama-final-response.ts';
import { checkOllamaCapabilities, knownNotToThink } from './check-ollama-capabilities.ts';
import { convertOllamaChatRequest } from './convert-ollama-chat-request.ts';
import { convertOllamaGenerationSettings } from './convert-ollama-generation-settings.ts';
import { wantsThinking } from './convert-ollama-think.ts';
import { decodeOllamaImage } from './decode-ollama-image.ts';
import { ollamaModelCapabilities } from './describe-ollama-model.ts';
import { decodeGenerateContext, encodeGenerateContext } from './generate-context-memory.ts';
import { isPlainOllamaChatRequest, isPlainOllamaGenerateRequest } from './is-plain-ollama-request.ts';
import { ollamaChatRequestSchema } from './ollama-chat-request-schema.ts';
import { ollamaGenerateRequestSchema, type OllamaGenerateRequest } from './ollama-generate-request-schema.ts';
import type { OllamaModelEntry } from './ollama-model-directory.ts';
import type { OllamaRouteContext } from './ollama-route-context.ts';
import { chatStreamBody } from '../chat-stream-body.ts';
import { OllamaStreamEncoder } from './ollama-stream-encoder.ts';
import { ollamaNow } from './ollama-time.ts';
import { parseKeepAlive } from './parse-keep-alive.ts';
import { parseOllamaBody } from './parse-ollama-body.ts';
import { resolveOllamaModel } from './resolve-ollama-model.ts';

/**
 * `POST /api/chat` and `POST /api/generate`: validate everything first (no upstream call for a
 * request known to be invalid), answer load/unload requests (no messages or prompt) without an
 * upstream call, then stream NDJSON (the default) or answer one object for `stream:false`.
 * https://github.com/ollama/ollama/blob/main/server/routes.go (ChatHandler, GenerateHandler)
 */
export function registerOllamaChatRoutes(scope: FastifyInstance, context: OllamaRouteContext): void {
  scope.post('/api/chat', async (request, reply) => {
    const body = parseOllamaBody(ollamaChatRequestSchema, request.body, 'ChatRequest', isPlainOllamaChatRequest);
    const name = body.model ?? '';
    if (name.trim().length === 0) throw new GatewayError('invalid_request', 'model is required', { param: 'model' });
    const chatRequest = convertOllamaChatRequest(body, name);
    const keepAliveMs = parseKeepAlive(body.keep_alive);
    const resolving = resolveOllamaModel(request, context, name);
    const entry = resolving instanceof Promise ? await resolving : resolving;
    const facts = ollamaModelCapabilities(entry);
    if (chatRequest.messages.length === 0 && keepAliveMs === 0) return answerLoad(reply, context, entry, 'chat', name, 0);
    checkOllamaCapabilities(facts, name, { route: 'chat', tools: (chatRequest.tools?.length ?? 0) > 0, thinking: wantsThinking(body.think) });
    if (body.think === false && knownNotToThink(facts)) delete chatRequest.reasoning;
    if (chatRequest.messages.length === 0) return answerLoad(reply, context, entry, 'chat', name, keepAliveMs);
    chatRequest.model = entry.servedName;
    // `return await`, not `return`: an async function resolved with a promise takes one more promise
    // and two more turns of the microtask queue to adopt it.
    return await dispatch(request, reply, context, { entry, keepAliveMs, chatRequest, kind: 'chat', name });
  });

  scope.post('/api/generate', async (request, reply) => {
    const body = parseOllamaBody(ollamaGenerateRequestSchema, request.body, 'GenerateRequest', isPlainOllamaGenerateRequest);
    const name = body.model ?? '';
    const images = convertImages(body.images ?? []);
    const keepAliveMs = parseKeepAlive(body.keep_alive);
    // Ollama answers a missing model on generate with 404 `model '' not found` (unlike chat).
    const resolving = resolveOllamaModel(request, context, name);
    const entry = resolving instanceof Promise ? await resolving : resolving;
    const prompt = body.prompt ?? '';
    if (prompt.length === 0 && keepAliveMs === 0) return answerLoad(reply, context, entry, 'generate', name, 0);
    const raw = body.raw === true;
    if (raw && ((body.template ?? '') !== '' || (body.system ?? '') !== '' || (body.context ?? []).length > 0)) {
      throw new GatewayError('invalid_request', 'raw mode does not support template, system, or context');
    }
    const suffix = body.suffix ?? '';
    const settings = convertOllamaGenerationSettings(body);
    const facts = ollamaModelCapabilities(entry);
    checkOllamaCapabilities(facts, name, { route: 'generate', thinking: wantsThinking(body.think), insert: suffix.length > 0 });
    if (body.think === false && knownNotToThink(facts)) delete settings.reasoning;
    if (prompt.length === 0) return answerLoad(reply, context, entry, 'generate', name, keepAliveMs);
    const history = await decodeGenerateContext(body.context ?? []);
    const chatRequest: ChatRequest = { model: entry.servedName, messages: generateMessages(body, history, images), stream: body.stream !== false, ...settings };
    if (raw) chatRequest.rawPrompt = true;
    if (suffix.length > 0) chatRequest.suffix = suffix;
    if ((body.template ?? '') !== '') request.log.warn('ignoring the generate `template`: prompt templates are applied upstream');
    // The answer's `context` is encoded with the tokenizer once the upstream has answered: it loads meanwhile.
    if (!raw) preloadTextTokenizer();
    const memory = raw ? undefined : (answer: string) => encodeGenerateContext(history, prompt, answer, request.llmux.controller.signal);
    return await dispatch(request, reply, context, memory === undefined ? { entry, keepAliveMs, chatRequest, kind: 'generate', name } : { entry, keepAliveMs, chatRequest, kind: 'generate', name, memory });
  });
}

interface Generation {
  entry: OllamaModelEntry;
  keepAliveMs: number | undefined;
  chatRequest: ChatRequest;
  kind: 'chat' | 'generate';
  /** The model name as the client sent it, echoed in answers. */
  name: string;
  /** Generate's `context` for the answer text; absent for chat and raw generate. */
  memory?: (answer: string) => Promise<number[]>;
}

async function dispatch(request: FastifyRequest, reply: FastifyReply, context: OllamaRouteContext, generation: Generation): Promise<FastifyReply | undefined> {
  const { entry, keepAliveMs, chatRequest, kind, memory } = generation;
  // A name only default_model could answer is answered under the default's name, not echoed.
  const name = entry.standsInFor === undefined ? generation.name : entry.ollamaName;
  // The model is listed as running only once an upstream answered: a refused or failed request ran nothing.
  if (!chatRequest.stream) {
    const { response } = await context.services.dispatcher.complete(chatRequest, request.llmux.dispatch, undefined, entry.routed);
    context.running.touch(entry, keepAliveMs);
    const contextTokens = memory === undefined ? undefined : await memory(responseText(response));
    return reply.send(buildOllamaFinalResponse(kind, name, response, contextTokens));
  }
  const routed = await context.services.dispatcher.stream(chatRequest, request.llmux.dispatch);
  context.running.touch(entry, keepAliveMs);
  const options = memory === undefined ? { kind, model: name } : { kind, model: name, context: memory };
  return writeStreamResponse(request, reply, NDJSON_CONTENT_TYPE, chatStreamBody(routed.batches, new OllamaStreamEncoder(options)));
}

/**
 * The answer to a request with no messages (or prompt): Ollama "loads" the model, or with
 * keep_alive 0 "unloads" it, and answers one plain object even when streaming was asked for.
 */
function answerLoad(
  reply: FastifyReply,
  context: OllamaRouteContext,
  entry: OllamaModelEntry,
  kind: 'chat' | 'generate',
  name: string,
  keepAliveMs: number | undefined,
): FastifyReply {
  context.running.touch(entry, keepAliveMs);
  const answer: Record<string, unknown> = { model: name, created_at: ollamaNow() };
  if (kind === 'chat') answer.message = { role: 'assistant', content: '' };
  else answer.response = '';
  answer.done = true;
  answer.done_reason = keepAliveMs === 0 ? 'unload' : 'load';
  return reply.send(answer);
}

function convertImages(images: string[]): MessagePart[] {
  const parts: MessagePart[] = [];
  images.forEach((image, index) => {
    const part = decodeOllamaImage(image, `images[${index}]`);
    if (part !== undefined) parts.push(part);
  });
  return parts;
}

/** The system prompt, the conversation a `context` carried, then the prompt with its images. */
function generateMessages(body: OllamaGenerateRequest, history: ChatMessage[], images: MessagePart[]): ChatMessage[] {
  const messages: ChatMessage[] = [];
  if ((body.system ?? '') !== '') messages.push({ role: 'system', parts: [{ type: 'text', text: body.system ?? '' }] });
  messages.push(...history, { role: 'user', parts: [{ type: 'text', text: body.prompt ?? '' }, ...images] });
  return messages;
}
