import { toolResultMedia, type ChatMessage, type MediaSource } from '../../canonical/chat-message.ts';
import type { ChatRequest } from '../../canonical/chat-request.ts';
import type { DegradedField } from '../../canonical/degraded-field.ts';
import { GatewayError } from '../../canonical/gateway-error.ts';
import type { PoeAttachment } from './poe-attachment-uploader.ts';
import { POE_ENDPOINTS } from './poe-endpoints.ts';
import type { PoeProtocolMessage, PoeQueryRequest, PoeToolCallDefinition, PoeToolResultDefinition } from './poe-query-request.ts';

/** Uploads one image or file and returns the attachment to reference. */
export type UploadMedia = (source: MediaSource, filename: string | undefined) => Promise<PoeAttachment>;

export interface ConvertedPoeQuery {
  body: PoeQueryRequest;
  /** What the bot protocol cannot take and was dropped without changing what the answer is about. */
  degraded: DegradedField[];
}

/**
 * Canonical ChatRequest → bot-protocol query. Roles: `assistant` → `bot`, `developer` → `system`
 * (the protocol knows only system/user/bot/tool). The round of tool calls being answered goes in
 * the top-level `tool_calls`/`tool_results`, as fastapi_poe's client sends them on its second
 * request (client.py `_stream_request_with_tools`); earlier rounds stay in the query, in order, as
 * `bot` function-call messages and `tool` messages.
 * Images and files are uploaded and referenced as attachments. The client's `parameters` (or
 * `providerOptions.poe.parameters`) become the last user message's bot parameters,
 * `skip_system_prompt` is passed on. What the protocol cannot carry is refused where it would
 * change the answer (see refuseWhatBotsCannotCarry) and declared otherwise.
 */
export async function convertChatRequestToPoeQuery(request: ChatRequest, upload: UploadMedia, providerId = 'poe'): Promise<ConvertedPoeQuery> {
  refuseWhatBotsCannotCarry(request, providerId);
  const warnings: DegradedField[] = [];
  const toolNames = new Map<string, string>();
  for (const message of request.messages) for (const part of message.parts) if (part.type === 'tool-call') toolNames.set(part.id, part.name);
  const resultOf = (part: Extract<ChatMessage['parts'][number], { type: 'tool-result' }>): PoeToolResultDefinition => ({
    role: 'tool',
    name: part.toolName ?? toolNames.get(part.toolCallId) ?? '',
    tool_call_id: part.toolCallId,
    content: part.content,
  });
  const openRound = findOpenToolRound(request.messages);
  const toolCalls: PoeToolCallDefinition[] = [];
  const toolResults: PoeToolResultDefinition[] = [];
  const pending: Promise<PoeProtocolMessage[]>[] = [];

  request.messages.forEach((message, index) => {
    const inOpenRound = openRound !== undefined && index >= openRound;
    const calls: PoeToolCallDefinition[] = [];
    const results: PoeToolResultDefinition[] = [];
    for (const part of message.parts) {
      if (part.type === 'tool-call') calls.push({ id: part.id, type: 'function', function: { name: part.name, arguments: part.arguments } });
      else if (part.type === 'tool-result') results.push(resultOf(part));
    }
    const media = resultMedia(message, upload, warnings, providerId);
    if (inOpenRound) {
      // The round the bot is to answer now: the top-level fields, as fastapi_poe sends them.
      toolCalls.push(...calls);
      toolResults.push(...results);
      if (message.role !== 'tool') pending.push(convertMessage(message, upload).then((converted) => (converted === undefined ? [] : [converted])));
      if (media !== undefined) pending.push(media.then((converted) => [converted]));
      return;
    }
    // An earlier round: rendered into the query where it happened, so the bot sees the order.
    pending.push(
      (message.role === 'tool' ? Promise.resolve(undefined) : convertMessage(message, upload)).then((converted) => [
        ...(converted === undefined ? [] : [converted]),
        ...(calls.length === 0 ? [] : [historyMessage('bot', JSON.stringify(calls), 'function_call')]),
        ...results.map((result) => historyMessage('tool', JSON.stringify({ tool_call_id: result.tool_call_id, name: result.name, content: result.content }))),
      ]),
    );
    if (media !== undefined) pending.push(media.then((converted) => [converted]));
  });
  const query = (await Promise.all(pending)).flat();

  const parameters = request.providerOptions?.['poe']?.['parameters'] ?? request.unmappedFields?.['parameters'];
  if (parameters !== undefined) {
    const lastUser = query.findLast((message) => message.role === 'user');
    if (isRecord(parameters) && lastUser !== undefined) lastUser.parameters = parameters;
    else warnings.push({ field: 'parameters', reason: 'expected an object and a user message to carry it' });
  }

  let tools: PoeQueryRequest['tools'] = null;
  if (request.tools !== undefined && request.tools.length > 0) {
    if (request.toolChoice === 'none') {
      warnings.push({ field: 'tools', reason: "not sent: tool_choice is 'none'" });
    } else {
      if (request.toolChoice !== undefined && request.toolChoice !== 'auto') warnings.push({ field: 'tool_choice', reason: 'the Poe bot protocol has no way to force a tool' });
      tools = request.tools.map((tool) => ({
        type: 'function',
        function: { name: tool.name, description: tool.description ?? '', parameters: { type: 'object', properties: {}, ...tool.parameters } },
      }));
    }
  }

  const skipSystemPrompt = request.providerOptions?.['poe']?.['skip_system_prompt'] ?? request.unmappedFields?.['skip_system_prompt'];
  const body: PoeQueryRequest = {
    version: POE_ENDPOINTS.botProtocolVersion,
    type: 'query',
    query,
    user_id: '',
    conversation_id: '',
    message_id: '',
    temperature: request.temperature ?? null,
    skip_system_prompt: skipSystemPrompt === true,
    logit_bias: request.logitBias ?? {},
    stop_sequences: request.stop ?? [],
    tools,
    tool_calls: toolCalls.length > 0 ? toolCalls : null,
    tool_results: toolResults.length > 0 ? toolResults : null,
  };
  noteDropped(request, warnings);
  return { body, degraded: warnings };
}

/**
 * A bot answers free text from a chat query: asking it for JSON matching a schema, for log
 * probabilities, for a fill-in-the-middle insertion or for an untemplated raw prompt would return
 * something other than what was asked, with a 200. Those are refused.
 */
function refuseWhatBotsCannotCarry(request: ChatRequest, providerId: string): void {
  const refuse = (param: string, what: string): never => {
    throw new GatewayError('invalid_request', `${what} is not supported by provider '${providerId}' (Poe bot protocol)`, {
      param,
      code: 'unsupported_parameter',
      retryable: false,
    });
  };
  if (request.responseFormat !== undefined && request.responseFormat.type !== 'text') refuse('response_format', `response_format '${request.responseFormat.type}'`);
  if (request.logprobs === true) refuse('logprobs', 'logprobs');
  if (request.suffix !== undefined && request.suffix.length > 0) refuse('suffix', 'suffix (fill-in-the-middle)');
  if (request.rawPrompt === true) refuse('raw', 'a raw prompt');
}

const ROLES: Record<ChatMessage['role'], PoeProtocolMessage['role']> = {
  system: 'system',
  developer: 'system',
  user: 'user',
  assistant: 'bot',
  tool: 'tool',
};

async function convertMessage(message: ChatMessage, upload: UploadMedia): Promise<PoeProtocolMessage | undefined> {
  let content = '';
  const uploads: Promise<PoeAttachment>[] = [];
  for (const part of message.parts) {
    if (part.type === 'text') content += part.text;
    else if (part.type === 'image') uploads.push(upload(part.source, undefined));
    else if (part.type === 'file') uploads.push(upload(part.source, part.filename));
  }
  const attachments = await Promise.all(uploads);
  // A turn that only called tools or only returned results lives on in the top-level fields.
  const onlyTools = message.parts.some((part) => part.type === 'tool-call' || part.type === 'tool-result');
  if ((message.role === 'assistant' || onlyTools) && content === '' && attachments.length === 0) return undefined;
  return { role: ROLES[message.role], content, content_type: 'text/markdown', attachments };
}

/**
 * Images and files a message's tool results returned: a Poe tool result is text, so they follow
 * the results as a user message with attachments (declared).
 */
function resultMedia(message: ChatMessage, upload: UploadMedia, warnings: DegradedField[], providerId: string): Promise<PoeProtocolMessage> | undefined {
  const uploads: Promise<PoeAttachment>[] = [];
  for (const part of message.parts) {
    if (part.type !== 'tool-result') continue;
    const media = toolResultMedia(part);
    for (const item of media) uploads.push(upload(item.source, item.type === 'file' ? item.filename : undefined));
    if (media.length > 0) {
      warnings.push({ field: 'messages', reason: `${media.length} image(s) or file(s) of tool result ${part.toolCallId} sent as attachments of a user message after the results; provider '${providerId}' takes only text in tool results` });
    }
  }
  if (uploads.length === 0) return undefined;
  return Promise.all(uploads).then((attachments) => ({ role: 'user', content: '', content_type: 'text/markdown', attachments }));
}

/**
 * Where the round of tool calls the bot is to answer now starts: the last message with tool
 * calls, when everything after it is their results. fastapi_poe's client carries exactly one
 * round per query (client.py `_stream_request_with_tools`: the same query re-sent with
 * `tool_calls` and `tool_results`), so earlier rounds can only travel inside the query.
 */
function findOpenToolRound(messages: readonly ChatMessage[]): number | undefined {
  const last = messages.findLastIndex((message) => message.parts.some((part) => part.type === 'tool-call'));
  if (last === -1) return undefined;
  const after = messages.slice(last + 1);
  const onlyResults = after.every((message) => message.parts.length > 0 && message.parts.every((part) => part.type === 'tool-result'));
  return onlyResults && after.length > 0 ? last : undefined;
}

/** An earlier tool call (`message_type: function_call`, types.py `MessageType`) or result, as a query message. */
function historyMessage(role: 'bot' | 'tool', content: string, messageType?: 'function_call'): PoeProtocolMessage {
  const message: PoeProtocolMessage = { role, content, content_type: 'text/plain', attachments: [] };
  if (messageType !== undefined) message.message_type = messageType;
  return message;
}

function noteDropped(request: ChatRequest, warnings: DegradedField[]): void {
  const dropped: string[] = [];
  if (request.maxTokens !== undefined) dropped.push('max_tokens');
  if (request.topP !== undefined) dropped.push('top_p');
  if (request.topK !== undefined) dropped.push('top_k');
  if (request.minP !== undefined) dropped.push('min_p');
  if (request.seed !== undefined) dropped.push('seed');
  if (request.frequencyPenalty !== undefined) dropped.push('frequency_penalty');
  if (request.presencePenalty !== undefined) dropped.push('presence_penalty');
  if (request.repeatPenalty !== undefined) dropped.push('repeat_penalty');
  if (request.reasoning !== undefined) dropped.push('reasoning');
  if (request.topLogprobs !== undefined) dropped.push('top_logprobs');
  if (request.contextLength !== undefined) dropped.push('num_ctx');
  if (request.user !== undefined) dropped.push('user');
  if (request.parallelToolCalls !== undefined) dropped.push('parallel_tool_calls');
  for (const field of Object.keys(request.unmappedFields ?? {})) if (field !== 'parameters' && field !== 'skip_system_prompt') dropped.push(field);
  for (const field of dropped) warnings.push({ field, reason: 'the Poe bot protocol has no such parameter' });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
