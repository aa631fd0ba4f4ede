import { toolResultMedia, type ChatMessage, type MediaSource, type ToolResultPart } from '../../canonical/chat-message.ts';
import type { ChatRequest } from '../../canonical/chat-request.ts';
import type { DegradedField } from '../../canonical/degraded-field.ts';
import { GatewayError } from '../../canonical/gateway-error.ts';
import type { OllamaChatRequestBody, OllamaGenerateRequestBody, OllamaGenerationFields, OllamaRequestMessage } from './ollama-chat-request-body.ts';

export type OllamaChatConversion =
  | { path: '/api/chat'; body: OllamaChatRequestBody; degraded: DegradedField[] }
  | { path: '/api/generate'; body: OllamaGenerateRequestBody; degraded: DegradedField[] };

/** Body fields of Ollama's own ChatRequest that a client may send and llmux has no canonical field for. */
const OLLAMA_CHAT_FIELDS = new Set(['keep_alive', 'truncate', 'shift']);

/**
 * A canonical request → Ollama's `/api/chat` (ollama `api/types.go` ChatRequest, `docs/api.md`):
 * tool-call arguments as objects, images as raw base64, reasoning effort as `think` levels,
 * structured output as `format`, sampling in `options` (`num_ctx` from the context length,
 * `num_predict` from max tokens), `keep_alive` passed through. Fill-in-the-middle (`suffix`) and
 * raw prompts go to `/api/generate` instead.
 */
export function convertChatRequestToOllama(request: ChatRequest, providerId: string, passThroughFields: ReadonlySet<string> = new Set()): OllamaChatConversion {
  const degraded: DegradedField[] = [];
  const refuse = (param: string, what: string): never => {
    throw new GatewayError('invalid_request', `${what} is not supported by provider '${providerId}' (Ollama)`, { param });
  };
  const fields = ollamaGenerationFields(request, degraded, passThroughFields);
  if (request.suffix !== undefined || request.rawPrompt === true) {
    return { path: '/api/generate', body: { ...generatePrompt(request, refuse), stream: request.stream, ...fields }, degraded };
  }
  const body: OllamaChatRequestBody = { model: request.model, messages: request.messages.flatMap((message) => convertMessage(message, refuse)), stream: request.stream, ...fields };
  // Ollama's tool message has no error flag (api/types.go Message): the result goes as its text, declared.
  for (const message of request.messages) {
    for (const part of message.parts) {
      if (part.type === 'tool-result' && part.isError === true) degraded.push({ field: 'is_error', reason: `tool result ${part.toolCallId} is an error; Ollama's tool messages cannot mark it, sent as plain content` });
    }
  }
  const toolsOff = request.toolChoice === 'none';
  if (request.tools !== undefined && request.tools.length > 0 && !toolsOff) {
    body.tools = request.tools.map((tool) => ({
      type: 'function',
      function: { name: tool.name, ...(tool.description === undefined ? {} : { description: tool.description }), parameters: tool.parameters },
    }));
    // Ollama has no tool_choice: the model decides.
    if (request.toolChoice === 'required' || typeof request.toolChoice === 'object') degraded.push({ field: 'tool_choice', reason: 'Ollama has no tool_choice; the model decides whether to call a tool' });
  }
  if (request.parallelToolCalls === false) degraded.push({ field: 'parallel_tool_calls', reason: 'Ollama has no parallel_tool_calls setting' });
  return { path: '/api/chat', body, degraded };
}

/**
 * Fill-in-the-middle and raw prompts go to `/api/generate` (ollama `api/types.go` GenerateRequest):
 * the one user message is the prompt, system messages the `system`.
 */
function generatePrompt(request: ChatRequest, refuse: (param: string, what: string) => never): Omit<OllamaGenerateRequestBody, 'stream'> {
  const system = request.messages.filter((message) => message.role === 'system' || message.role === 'developer');
  const users = request.messages.filter((message) => message.role !== 'system' && message.role !== 'developer');
  const user = users[0];
  if (users.length !== 1 || user === undefined || user.role !== 'user') refuse('messages', 'a fill-in-the-middle or raw request with more than one prompt');
  const body: Omit<OllamaGenerateRequestBody, 'stream'> = { model: request.model, prompt: '' };
  for (const part of (user as ChatMessage).parts) {
    if (part.type === 'text') body.prompt += part.text;
    else if (part.type === 'image') (body.images ??= []).push(rawBase64(part.source, refuse));
    else refuse('prompt', `a ${part.type} part in a fill-in-the-middle or raw prompt`);
  }
  if (request.suffix !== undefined) body.suffix = request.suffix;
  if (request.rawPrompt === true) body.raw = true;
  const systemText = system.map((message) => message.parts.map((part) => (part.type === 'text' ? part.text : '')).join('')).join('\n');
  if (systemText !== '') body.system = systemText;
  return body;
}

/** What `/api/chat` and `/api/generate` share: think, format, options, log probabilities, keep_alive. */
function ollamaGenerationFields(request: ChatRequest, degraded: DegradedField[], passThroughFields: ReadonlySet<string>): OllamaGenerationFields {
  const fields: OllamaGenerationFields = {};
  if (request.responseFormat?.type === 'json') fields.format = 'json';
  else if (request.responseFormat?.type === 'json-schema') fields.format = request.responseFormat.schema;

  const reasoning = request.reasoning;
  if (reasoning?.effort !== undefined) {
    const effort = reasoning.effort;
    fields.think = effort === 'none' ? false : effort === 'minimal' || effort === 'low' ? 'low' : effort;
  } else if (reasoning?.budgetTokens !== undefined) {
    fields.think = true;
    degraded.push({ field: 'thinking.budget_tokens', reason: 'Ollama thinks without a token budget' });
  }

  const options: Record<string, unknown> = {};
  const set = (key: string, value: unknown): void => {
    if (value !== undefined) options[key] = value;
  };
  set('temperature', request.temperature);
  set('top_p', request.topP);
  set('top_k', request.topK);
  set('min_p', request.minP);
  set('stop', request.stop);
  set('seed', request.seed);
  set('num_predict', request.maxTokens);
  set('num_ctx', request.contextLength);
  set('frequency_penalty', request.frequencyPenalty);
  set('presence_penalty', request.presencePenalty);
  set('repeat_penalty', request.repeatPenalty);
  const own = request.providerOptions?.ollama;
  if (own !== undefined && typeof own.options === 'object' && own.options !== null && !Array.isArray(own.options)) Object.assign(options, own.options);
  if (Object.keys(options).length > 0) fields.options = options;

  if (request.logprobs === true) fields.logprobs = true;
  if (request.topLogprobs !== undefined) fields.top_logprobs = request.topLogprobs;
  if (request.logitBias !== undefined) degraded.push({ field: 'logit_bias', reason: 'Ollama has no logit_bias' });
  if (request.user !== undefined) degraded.push({ field: 'user', reason: 'Ollama has no end-user id' });

  for (const [field, value] of Object.entries({ ...request.unmappedFields, ...pick(own, OLLAMA_CHAT_FIELDS) })) {
    // Ollama reads a keep_alive of "-1" as a duration without a unit and refuses it; a number it takes.
    if (field === 'keep_alive' && typeof value === 'string' && /^-?\d+$/.test(value.trim())) fields.keep_alive = Number(value);
    else if (OLLAMA_CHAT_FIELDS.has(field) || passThroughFields.has(field)) (fields as Record<string, unknown>)[field] = value;
    else degraded.push({ field, reason: `Ollama has no '${field}'` });
  }
  return fields;
}

function convertMessage(message: ChatMessage, refuse: (param: string, what: string) => never): OllamaRequestMessage[] {
  if (message.role === 'tool') {
    return message.parts.flatMap((part): OllamaRequestMessage[] => {
      if (part.type !== 'tool-result') return [];
      return [toolMessage(part, refuse)];
    });
  }
  const role = message.role === 'developer' ? 'system' : message.role;
  const out: OllamaRequestMessage = { role, content: '' };
  const results: OllamaRequestMessage[] = [];
  for (const part of message.parts) {
    switch (part.type) {
      case 'text':
        out.content += part.text;
        break;
      case 'image':
        (out.images ??= []).push(rawBase64(part.source, refuse));
        break;
      case 'file':
        refuse('messages.content', `a file${part.filename === undefined ? '' : ` ('${part.filename}')`}`);
        break;
      case 'reasoning':
        if (!part.redacted) out.thinking = (out.thinking ?? '') + part.text;
        break;
      case 'tool-call':
        (out.tool_calls ??= []).push({ id: part.id, function: { index: out.tool_calls.length, name: part.name, arguments: argumentsObject(part.arguments, part.name) } });
        break;
      case 'tool-result': {
        // A tool result inside a user message (Anthropic clients send them there): its own tool message.
        results.push(toolMessage(part, refuse));
        break;
      }
    }
  }
  const hasContent = out.content !== '' || out.images !== undefined || out.tool_calls !== undefined || out.thinking !== undefined;
  return hasContent || results.length === 0 ? [...results, out] : results;
}

/** A tool result as Ollama's `tool` message; images it returned go in the message's own `images`. */
function toolMessage(part: ToolResultPart, refuse: (param: string, what: string) => never): OllamaRequestMessage {
  const out: OllamaRequestMessage = { role: 'tool', content: part.content, tool_call_id: part.toolCallId };
  if (part.toolName !== undefined) out.tool_name = part.toolName;
  for (const media of toolResultMedia(part)) {
    if (media.type === 'file') refuse('messages.content', `a file in a tool result${media.filename === undefined ? '' : ` ('${media.filename}')`}`);
    else (out.images ??= []).push(rawBase64(media.source, refuse));
  }
  return out;
}

/** Ollama decodes `images` as Go []byte: raw base64, no `data:` prefix, and no URLs. */
function rawBase64(source: MediaSource, refuse: (param: string, what: string) => never): string {
  if (source.kind === 'base64') return source.data;
  const match = /^data:[^;,]*(?:;[^,]*)?;base64,(.*)$/s.exec(source.url);
  if (match !== null) return match[1] as string;
  return refuse('messages.content.image_url', `an image by URL (${source.url.slice(0, 60)}); Ollama takes images inline as base64`);
}

function argumentsObject(text: string, name: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new GatewayError('invalid_request', `the arguments of the earlier call to tool '${name}' are not JSON; Ollama needs them as an object`, { param: 'messages.tool_calls.function.arguments' });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new GatewayError('invalid_request', `the arguments of the earlier call to tool '${name}' are not a JSON object; Ollama needs an object`, { param: 'messages.tool_calls.function.arguments' });
  }
  return value as Record<string, unknown>;
}

function pick(source: Record<string, unknown> | undefined, keys: ReadonlySet<string>): Record<string, unknown> {
  if (source === undefined) return {};
  return Object.fromEntries(Object.entries(source).filter(([key]) => keys.has(key)));
}
