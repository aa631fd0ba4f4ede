import type { ChatMessage, MediaSource } from '../../canonical/chat-message.ts';
import type { ChatRequest } from '../../canonical/chat-request.ts';
import type { DegradedField } from '../../canonical/degraded-field.ts';
import { GatewayError } from '../../canonical/gateway-error.ts';
import type { OllamaChatRequestBody, OllamaRequestMessage } from './ollama-chat-request-body.ts';

export interface OllamaChatConversion {
  body: OllamaChatRequestBody;
  degraded: DegradedField[];
}

/** Body fields of Ollama's own ChatRequest that a client may send and llmux has no canonical field for. */
const OLLAMA_CHAT_FIELDS = new Set(['keep_alive', 'truncate', 'shift']);

/**
 * A canonical request → Ollama's `/api/chat` (ollama `api/types.go` ChatRequest, `docs/api.md`):
 * tool-call arguments as objects, images as raw base64, reasoning effort as `think` levels,
 * structured output as `format`, sampling in `options` (`num_ctx` from the context length,
 * `num_predict` from max tokens), `keep_alive` passed through.
 */
export function convertChatRequestToOllama(request: ChatRequest, providerId: string): OllamaChatConversion {
  const degraded: DegradedField[] = [];
  const refuse = (param: string, what: string): never => {
    throw new GatewayError('invalid_request', `${what} is not supported by provider '${providerId}' (Ollama)`, { param });
  };
  if (request.suffix !== undefined) refuse('suffix', 'fill-in-the-middle (suffix)');
  if (request.rawPrompt === true) refuse('raw', 'a raw prompt');
  const body: OllamaChatRequestBody = { model: request.model, messages: request.messages.flatMap((message) => convertMessage(message, refuse)), stream: request.stream };

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

  if (request.responseFormat?.type === 'json') body.format = 'json';
  else if (request.responseFormat?.type === 'json-schema') body.format = request.responseFormat.schema;

  const reasoning = request.reasoning;
  if (reasoning?.effort !== undefined) {
    const effort = reasoning.effort;
    body.think = effort === 'none' ? false : effort === 'minimal' || effort === 'low' ? 'low' : effort;
  } else if (reasoning?.budgetTokens !== undefined) {
    body.think = true;
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
  if (Object.keys(options).length > 0) body.options = options;

  if (request.logprobs === true) body.logprobs = true;
  if (request.topLogprobs !== undefined) body.top_logprobs = request.topLogprobs;
  if (request.logitBias !== undefined) degraded.push({ field: 'logit_bias', reason: 'Ollama has no logit_bias' });
  if (request.user !== undefined) degraded.push({ field: 'user', reason: 'Ollama has no end-user id' });

  for (const [field, value] of Object.entries({ ...request.unmappedFields, ...pick(own, OLLAMA_CHAT_FIELDS) })) {
    // Ollama reads a keep_alive of "-1" as a duration without a unit and refuses it; a number it takes.
    if (field === 'keep_alive' && typeof value === 'string' && /^-?\d+$/.test(value.trim())) body.keep_alive = Number(value);
    else if (OLLAMA_CHAT_FIELDS.has(field)) (body as unknown as Record<string, unknown>)[field] = value;
    else degraded.push({ field, reason: `Ollama's /api/chat has no '${field}'` });
  }
  return { body, degraded };
}

function convertMessage(message: ChatMessage, refuse: (param: string, what: string) => never): OllamaRequestMessage[] {
  if (message.role === 'tool') {
    return message.parts.flatMap((part): OllamaRequestMessage[] => {
      if (part.type !== 'tool-result') return [];
      const out: OllamaRequestMessage = { role: 'tool', content: part.content, tool_call_id: part.toolCallId };
      if (part.toolName !== undefined) out.tool_name = part.toolName;
      return [out];
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
        const result: OllamaRequestMessage = { role: 'tool', content: part.content, tool_call_id: part.toolCallId };
        if (part.toolName !== undefined) result.tool_name = part.toolName;
        results.push(result);
        break;
      }
    }
  }
  const hasContent = out.content !== '' || out.images !== undefined || out.tool_calls !== undefined || out.thinking !== undefined;
  return hasContent || results.length === 0 ? [...results, out] : results;
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
