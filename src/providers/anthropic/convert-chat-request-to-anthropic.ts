import type { ChatMessage, FilePart, ImagePart, MessagePart, ToolResultContentPart } from '../../canonical/chat-message.ts';
import type { ChatRequest } from '../../canonical/chat-request.ts';
import type { DegradedField } from '../../canonical/degraded-field.ts';
import { GatewayError } from '../../canonical/gateway-error.ts';
import type { ToolChoice } from '../../canonical/tool-definition.ts';
import { readAnthropicProviderOptions } from './anthropic-provider-options.ts';
import type { AnthropicBlock, AnthropicRequestBody, AnthropicRequestMessage } from './anthropic-request-body.ts';
import { anthropicThinking } from './anthropic-thinking.ts';

export interface ConvertedAnthropicRequest {
  body: AnthropicRequestBody;
  /** `anthropic-beta` flags the client asked for. */
  betas: string[];
  degraded: DegradedField[];
}

/** Top-level body fields the Messages API defines beyond the canonical ones; sent as they came. */
const ANTHROPIC_BODY_FIELDS = new Set(['service_tier', 'context_management', 'container', 'mcp_servers', 'inference_geo']);

/**
 * The Messages API requires `max_tokens`; OpenAI and Ollama clients often leave it out. 8192 is
 * what every current Claude model can produce in one answer.
 */
export const DEFAULT_MAX_TOKENS = 8192;

/**
 * Canonical ChatRequest → Messages API body. System and developer messages become the `system`
 * blocks; tool results join the user turn that follows the calls (Anthropic wants every result
 * in the next user message); reasoning is sent back only with the signature Anthropic gave it
 * (Anthropic refuses thinking it did not sign); `cache_control` breakpoints and documents'
 * `citations` and `context` from an Anthropic client are put back on the blocks they were on.
 */
export function convertChatRequestToAnthropic(
  request: ChatRequest,
  provider: { id: string; passThroughFields?: ReadonlySet<string>; defaultMaxTokens?: number; maxTokensCap?: number },
): ConvertedAnthropicRequest {
  const where = `provider '${provider.id}'`;
  if (request.suffix !== undefined) throw new GatewayError('invalid_request', `suffix (fill-in-the-middle) is not supported by ${where}`, { param: 'suffix' });
  if (request.rawPrompt === true) throw new GatewayError('invalid_request', `raw prompts are not supported by ${where}: the Messages API always applies the chat format`, { param: 'raw' });
  const options = readAnthropicProviderOptions(request.providerOptions);
  const degraded: DegradedField[] = [];
  // Wire fields to put back on blocks, by position: `tool:i`, `message:part`, `message:part:block` (inside a tool result).
  const extras = new Map<string, Record<string, unknown>>();
  const extrasAt = (key: string) => extras.get(key) ?? extras.set(key, {}).get(key) ?? {};
  const position = (mark: { message?: number | undefined; part?: number | undefined; block?: number | undefined }) => `${mark.message}:${mark.part}` + (mark.block === undefined ? '' : `:${mark.block}`);
  for (const mark of options.cacheControl ?? []) {
    if (mark.tool !== undefined) extrasAt(`tool:${mark.tool}`).cache_control = mark.cacheControl;
    else if (mark.message !== undefined && mark.part !== undefined) extrasAt(position(mark)).cache_control = mark.cacheControl;
  }
  const placedPaths = new Set<string>();
  for (const entry of options.blockFields ?? []) {
    Object.assign(extrasAt(position(entry)), entry.fields);
    for (const path of entry.paths) placedPaths.add(path);
  }
  const { system, messages } = convertMessages(request.messages, extras, where);
  let maxTokens = request.maxTokens ?? provider.defaultMaxTokens ?? DEFAULT_MAX_TOKENS;
  if (provider.maxTokensCap !== undefined && maxTokens > provider.maxTokensCap) {
    if (request.maxTokens !== undefined) degraded.push({ field: 'max_tokens', reason: `${request.maxTokens} capped at ${provider.maxTokensCap} by ${where} (max_tokens_cap)` });
    maxTokens = provider.maxTokensCap;
  }
  const body: AnthropicRequestBody = { model: request.model, max_tokens: maxTokens, messages };
  if (system.length > 0) body.system = system;
  if (request.stream) body.stream = true;
  const tools = (request.tools ?? []).map((tool, index) => {
    const definition: Record<string, unknown> = { name: tool.name, input_schema: tool.parameters };
    if (tool.description !== undefined) definition.description = tool.description;
    if (tool.strict !== undefined) definition.strict = tool.strict;
    const cacheControl = extras.get(`tool:${index}`)?.cache_control;
    if (cacheControl !== undefined) definition.cache_control = cacheControl;
    return definition;
  });
  // Server tools go back where the client had them among its own (the order is part of the cached prefix).
  for (const tool of [...(request.providerTools ?? [])].sort((a, b) => a.index - b.index)) {
    if (tool.provider === 'anthropic') tools.splice(Math.min(tool.index, tools.length), 0, tool.definition);
  }
  if (tools.length > 0) body.tools = tools;
  const toolChoice = convertToolChoice(request.toolChoice, request.parallelToolCalls);
  if (toolChoice !== undefined) body.tool_choice = toolChoice;
  const thinking = anthropicThinking(request, options.thinking, body.max_tokens);
  if (thinking !== undefined) {
    body.thinking = thinking.thinking;
    body.max_tokens = thinking.maxTokens;
    if (thinking.effort !== undefined) body.output_config = { effort: thinking.effort };
  }
  if (request.responseFormat?.type === 'json-schema') body.output_config = { ...body.output_config, format: { type: 'json_schema', schema: request.responseFormat.schema } };
  else if (request.responseFormat?.type === 'json') degraded.push({ field: 'response_format', reason: `${where} takes a JSON schema, not plain JSON mode` });
  if (request.stop !== undefined && request.stop.length > 0) body.stop_sequences = request.stop;
  if (request.temperature !== undefined) body.temperature = Math.min(1, request.temperature);
  if (request.temperature !== undefined && request.temperature > 1) degraded.push({ field: 'temperature', reason: `${where} takes at most 1; 1 was sent` });
  if (request.topP !== undefined) body.top_p = request.topP;
  if (request.topK !== undefined) body.top_k = request.topK;
  if (request.user !== undefined) body.metadata = { user_id: request.user };
  declareUnsupported(request, degraded, where);
  for (const [field, value] of Object.entries(request.unmappedFields ?? {})) {
    if (field === 'cache_control' || placedPaths.has(field)) continue; // placed on their blocks above
    if (ANTHROPIC_BODY_FIELDS.has(field) || provider.passThroughFields?.has(field) === true) body[field] = value;
    else degraded.push({ field, reason: `not part of the Messages API of ${where}` });
  }
  return { body, betas: options.betas ?? [], degraded };
}

/** Canonical fields the Messages API has no counterpart for: dropped, and said so. */
function declareUnsupported(request: ChatRequest, degraded: DegradedField[], where: string): void {
  const unsupported: [string, unknown][] = [
    ['seed', request.seed],
    ['frequency_penalty', request.frequencyPenalty],
    ['presence_penalty', request.presencePenalty],
    ['repeat_penalty', request.repeatPenalty],
    ['min_p', request.minP],
    ['logit_bias', request.logitBias],
    ['logprobs', request.logprobs === true ? true : undefined],
    ['top_logprobs', request.topLogprobs],
    ['num_ctx', request.contextLength],
  ];
  for (const [field, value] of unsupported) if (value !== undefined) degraded.push({ field, reason: `${where} has no ${field}` });
}

function convertToolChoice(choice: ToolChoice | undefined, parallel: boolean | undefined): Record<string, unknown> | undefined {
  const single = parallel === false ? { disable_parallel_tool_use: true } : {};
  if (choice === undefined) return parallel === false ? { type: 'auto', ...single } : undefined;
  if (choice === 'none') return { type: 'none' };
  if (choice === 'auto') return { type: 'auto', ...single };
  if (choice === 'required') return { type: 'any', ...single };
  return { type: 'tool', name: choice.name, ...single };
}

function convertMessages(input: ChatMessage[], extras: Map<string, Record<string, unknown>>, where: string): { system: AnthropicBlock[]; messages: AnthropicRequestMessage[] } {
  const system: AnthropicBlock[] = [];
  const messages: AnthropicRequestMessage[] = [];
  const push = (role: 'user' | 'assistant', blocks: AnthropicBlock[]) => {
    if (blocks.length === 0) return;
    const last = messages.at(-1);
    if (last?.role === role) last.content.push(...blocks);
    else messages.push({ role, content: blocks });
  };
  input.forEach((message, messageIndex) => {
    const blocks: AnthropicBlock[] = [];
    message.parts.forEach((part, partIndex) => {
      const block = convertPart(part, message.role, `messages[${messageIndex}]`, where, (index) => extras.get(`${messageIndex}:${partIndex}:${index}`));
      if (block === undefined) return;
      blocks.push(withExtras(block, extras.get(`${messageIndex}:${partIndex}`)));
    });
    if (message.role === 'system' || message.role === 'developer') system.push(...blocks);
    else push(message.role === 'assistant' ? 'assistant' : 'user', blocks);
  });
  return { system, messages };
}

function convertPart(
  part: MessagePart,
  role: ChatMessage['role'],
  at: string,
  where: string,
  innerExtras: (index: number) => Record<string, unknown> | undefined,
): AnthropicBlock | undefined {
  switch (part.type) {
    case 'text':
      // Citations Anthropic gave a text go back with it.
      return part.metadata?.provider === 'anthropic' && part.metadata.citations !== undefined ? { type: 'text', text: part.text, citations: part.metadata.citations } : { type: 'text', text: part.text };
    case 'image':
      if (role === 'system' || role === 'developer') throw new GatewayError('invalid_request', `${at}: ${where} takes images in user messages only`, { param: 'messages' });
      return { type: 'image', source: mediaSource(part) };
    case 'file':
      return documentBlock(part);
    case 'reasoning':
      // Anthropic replays only thinking it signed; other reasoning stays out of the prompt.
      if (part.metadata?.provider !== 'anthropic') return undefined;
      if (part.redacted === true) return part.metadata.encrypted === undefined ? undefined : { type: 'redacted_thinking', data: part.metadata.encrypted };
      return part.metadata.signature === undefined ? undefined : { type: 'thinking', thinking: part.text, signature: part.metadata.signature };
    case 'tool-call':
      return { type: 'tool_use', id: part.id, name: part.name, input: toolInput(part.arguments) };
    case 'tool-result': {
      const content = part.parts === undefined ? part.content : part.parts.map((inner, index) => withExtras(resultBlock(inner), innerExtras(index)));
      const block: AnthropicBlock = { type: 'tool_result', tool_use_id: part.toolCallId, content };
      if (part.isError === true) block.is_error = true;
      return block;
    }
    case 'provider-block':
      // Another provider type's blocks were refused before the request came here.
      return part.provider === 'anthropic' ? { ...part.block } : undefined;
  }
}

/** A block of a tool result's content: text, image, a document, or one of Anthropic's own (`search_result`). */
function resultBlock(part: ToolResultContentPart): AnthropicBlock {
  if (part.type === 'text') return { type: 'text', text: part.text };
  if (part.type === 'image') return { type: 'image', source: mediaSource(part) };
  if (part.type === 'provider-block') return { ...part.block };
  return documentBlock(part);
}

/** A block with the wire fields the client had on it (`cache_control`, a document's `citations` and `context`). */
function withExtras(block: AnthropicBlock, extras: Record<string, unknown> | undefined): AnthropicBlock {
  return extras === undefined ? block : { ...block, ...extras };
}

function mediaSource(part: ImagePart | FilePart): Record<string, unknown> {
  const source = part.source;
  if (source.kind === 'base64') return { type: 'base64', media_type: source.mediaType, data: source.data };
  const inline = /^data:([^;,]+)(;base64)?,(.*)$/s.exec(source.url);
  if (inline !== null) {
    const data = inline[2] === undefined ? Buffer.from(decodeURIComponent(inline[3] ?? ''), 'utf8').toString('base64') : (inline[3] ?? '');
    return { type: 'base64', media_type: inline[1], data };
  }
  return { type: 'url', url: source.url };
}

/** A file as a `document`: PDFs by data or URL, plain text as a text source. */
function documentBlock(part: FilePart): AnthropicBlock {
  const source = mediaSource(part);
  const mediaType = source.media_type;
  let block: AnthropicBlock;
  if (typeof mediaType === 'string' && mediaType.startsWith('text/')) {
    block = { type: 'document', source: { type: 'text', media_type: 'text/plain', data: Buffer.from(String(source.data), 'base64').toString('utf8') } };
  } else if (typeof mediaType === 'string' && mediaType.startsWith('image/')) {
    return { type: 'image', source };
  } else block = { type: 'document', source };
  if (part.filename !== undefined) block.title = part.filename;
  return block;
}

/** Tool arguments as the object `input` must be; text that is not a JSON object is wrapped, not lost. */
function toolInput(text: string): unknown {
  if (text.trim().length === 0) return {};
  try {
    const value = JSON.parse(text) as unknown;
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value;
    return { value };
  } catch {
    return { arguments: text };
  }
}
