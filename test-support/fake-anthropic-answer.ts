/**
 * The bytes of an answer from the Anthropic Messages API, as api.anthropic.com sends them
 * (anthropic-sdk-typescript src/resources/messages/messages.ts, Message and RawMessageStreamEvent;
 * docs.anthropic.com "Streaming Messages"): a non-streamed `Message`, or the SSE sequence
 * `message_start` → per block `content_block_start` / `…_delta` / `content_block_stop` →
 * `message_delta` → `message_stop`, each as `event: <type>\ndata: <json>\n\n`, with a `ping` after
 * the first block starts as the API sends it.
 */
import { createHash } from 'node:crypto';

export type FakeAnthropicBlock =
  /** `citations`: where the text's claims come from (web search results, document locations); streamed as `citations_delta`s. */
  | { type: 'text'; text: string; citations?: Record<string, unknown>[] }
  | { type: 'thinking'; thinking: string; signature?: string }
  | { type: 'redacted_thinking'; data: string }
  | { type: 'tool_use'; name: string; input: Record<string, unknown>; id?: string }
  /** A call of one of Anthropic's server tools (web_search, code_execution…), streamed like a tool call. */
  | { type: 'server_tool_use'; name: string; input: Record<string, unknown>; id: string }
  /** A server tool's result (`web_search_tool_result`…): sent whole in its `content_block_start`. */
  | { type: `${string}_tool_result`; tool_use_id: string; content: unknown };

export interface FakeAnthropicUsage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  /** The cache write by how long it is kept, as the API reports it beside its total. */
  cache_creation?: { ephemeral_5m_input_tokens: number; ephemeral_1h_input_tokens: number };
  /** Server tool calls the answer made (`web_search_requests`…), billed apart. */
  server_tool_use?: Record<string, number>;
}

export interface FakeAnthropicAnswer {
  blocks: FakeAnthropicBlock[];
  /** Defaults to `tool_use` when a block is a tool call, else `end_turn`. */
  stopReason?: string;
  stopSequence?: string | null;
  model?: string;
  id?: string;
  /** Overrides the usage the server works out (input from the prompt and cache, output from the blocks). */
  usage?: Partial<FakeAnthropicUsage>;
  /** Streaming only: after the blocks, an `event: error` with this error instead of the message end. */
  errorAfter?: { type: string; message: string };
  /** Streaming only: stop after the blocks with no `message_delta` / `message_stop`. */
  cut?: boolean;
  /** Streaming only: after `message_start`, stay silent until this settles, then go on. */
  pauseUntil?: Promise<unknown>;
  /** Streaming only: after the blocks, keep the response open until the client leaves. */
  holdOpen?: boolean;
  /** Streaming only: write the body this many bytes at a time (lines and characters arrive split). */
  writeBytes?: number;
}

/** The signature the fake gives a thinking block: a digest of its text, checked when it comes back. */
export function fakeThinkingSignature(thinking: string): string {
  return 'Eq' + createHash('sha256').update(thinking).digest('base64');
}

export function toolUseId(block: { id?: string }, index: number): string {
  return block.id ?? `toolu_01Fake${String(index).padStart(18, '0')}`;
}

/** Words with their leading spaces, roughly as a tokenizer cuts text. */
export function textPieces(text: string): string[] {
  return text.match(/\s*\S+|\s+$/g) ?? [];
}

function fragments(text: string, size: number): string[] {
  const parts: string[] = [];
  for (let start = 0; start < text.length; start += size) parts.push(text.slice(start, start + size));
  return parts;
}

export function stopReasonOf(answer: FakeAnthropicAnswer): string {
  return answer.stopReason ?? (answer.blocks.some((block) => block.type === 'tool_use') ? 'tool_use' : 'end_turn');
}

/** Output tokens: one per word or JSON fragment, at least 1. */
export function outputTokensOf(answer: FakeAnthropicAnswer): number {
  let count = 0;
  for (const block of answer.blocks) {
    if (block.type === 'text') count += textPieces(block.text).length;
    else if (block.type === 'thinking') count += textPieces(block.thinking).length;
    else if (block.type === 'redacted_thinking') count += 8;
    else if ('input' in block) count += fragments(JSON.stringify(block.input), 8).length + 1;
  }
  return Math.max(1, count);
}

/** A block as it appears in a non-streamed Message. */
function finalBlock(block: FakeAnthropicBlock, index: number): Record<string, unknown> {
  switch (block.type) {
    case 'text':
      return block.citations === undefined ? { type: 'text', text: block.text } : { type: 'text', text: block.text, citations: block.citations };
    case 'thinking':
      return { type: 'thinking', thinking: block.thinking, signature: block.signature ?? fakeThinkingSignature(block.thinking) };
    case 'redacted_thinking':
      return { type: 'redacted_thinking', data: block.data };
    case 'tool_use':
      return { type: 'tool_use', id: toolUseId(block, index), name: block.name, input: block.input };
    case 'server_tool_use':
      return { type: 'server_tool_use', id: block.id, name: block.name, input: block.input };
    default:
      return { ...block };
  }
}

export function anthropicMessageBody(answer: FakeAnthropicAnswer, model: string, usage: FakeAnthropicUsage): Record<string, unknown> {
  return {
    id: answer.id ?? 'msg_01FakeAnthropicMessage0001',
    type: 'message',
    role: 'assistant',
    model: answer.model ?? model,
    content: answer.blocks.map(finalBlock),
    stop_reason: stopReasonOf(answer),
    stop_sequence: answer.stopSequence ?? null,
    usage: { ...usage, service_tier: 'standard' },
  };
}

export function sseEvent(data: Record<string, unknown> & { type: string }): string {
  return `event: ${data.type}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** The SSE events of a streamed answer, before the ending (`message_delta`, `message_stop`). */
export function anthropicStreamHead(answer: FakeAnthropicAnswer, model: string, usage: FakeAnthropicUsage): string[] {
  const message: Record<string, unknown> = { ...anthropicMessageBody(answer, model, usage), content: [], stop_reason: null, stop_sequence: null };
  // message_start carries the input side and the first output token, as the API reports it.
  message.usage = { ...usage, output_tokens: 1, service_tier: 'standard' };
  return [sseEvent({ type: 'message_start', message })];
}

export function anthropicStreamBlocks(answer: FakeAnthropicAnswer): string[] {
  const events: string[] = [];
  answer.blocks.forEach((block, index) => {
    const delta = (value: Record<string, unknown>) => events.push(sseEvent({ type: 'content_block_delta', index, delta: value }));
    const start = (contentBlock: Record<string, unknown>) => {
      events.push(sseEvent({ type: 'content_block_start', index, content_block: contentBlock }));
      if (index === 0) events.push(sseEvent({ type: 'ping' }));
    };
    switch (block.type) {
      case 'text':
        start({ type: 'text', text: '' });
        for (const citation of block.citations ?? []) delta({ type: 'citations_delta', citation });
        for (const piece of textPieces(block.text)) delta({ type: 'text_delta', text: piece });
        break;
      case 'thinking':
        start({ type: 'thinking', thinking: '', signature: '' });
        for (const piece of textPieces(block.thinking)) delta({ type: 'thinking_delta', thinking: piece });
        delta({ type: 'signature_delta', signature: block.signature ?? fakeThinkingSignature(block.thinking) });
        break;
      case 'redacted_thinking':
        start({ type: 'redacted_thinking', data: block.data });
        break;
      case 'tool_use':
      case 'server_tool_use':
        start({ type: block.type, id: block.type === 'tool_use' ? toolUseId(block, index) : block.id, name: block.name, input: {} });
        // The API opens with an empty fragment, then the JSON text in pieces that split keys and values.
        delta({ type: 'input_json_delta', partial_json: '' });
        for (const part of fragments(JSON.stringify(block.input), 8)) delta({ type: 'input_json_delta', partial_json: part });
        break;
      default:
        start(finalBlock(block, index));
    }
    events.push(sseEvent({ type: 'content_block_stop', index }));
  });
  return events;
}

export function anthropicStreamEnd(answer: FakeAnthropicAnswer, usage: FakeAnthropicUsage): string[] {
  return [
    // message_delta's usage has no cache_creation breakdown (anthropic-sdk-typescript MessageDeltaUsage).
    sseEvent({ type: 'message_delta', delta: { stop_reason: stopReasonOf(answer), stop_sequence: answer.stopSequence ?? null }, usage: deltaUsage(usage) }),
    sseEvent({ type: 'message_stop' }),
  ];
}

function deltaUsage(usage: FakeAnthropicUsage): Omit<FakeAnthropicUsage, 'cache_creation'> {
  const { cache_creation: _breakdown, ...rest } = usage;
  return rest;
}
