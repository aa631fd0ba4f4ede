import assert from 'node:assert/strict';
import { CONTRACT_TOOL, runInboundProtocolContract, type ClientReading } from '../../../test-support/inbound-protocol.contract.ts';
import { readSseEvents } from '../../../test-support/read-sse-events.ts';

interface AnthropicError {
  type?: string;
  error?: { type?: string; message?: string };
}

/** An error body in Anthropic's shape: `{"type":"error","error":{"type","message"}}`. */
function readAnthropicError(json: unknown): string {
  const body = json as AnthropicError;
  assert.equal(body.type, 'error');
  assert.equal(typeof body.error?.type, 'string');
  return body.error?.message ?? '';
}

interface Block {
  type: string;
  text?: string;
  thinking?: string;
  name?: string;
  input?: unknown;
}

runInboundProtocolContract({
  name: 'anthropic messages',
  path: '/v1/messages',
  carries: { tools: true, reasoning: true },
  body: ({ model, text, stream, tools, reasoning }) => ({
    model,
    max_tokens: 1000,
    stream,
    messages: [{ role: 'user', content: text }],
    ...(tools ? { tools: [{ name: CONTRACT_TOOL.function.name, description: CONTRACT_TOOL.function.description, input_schema: CONTRACT_TOOL.function.parameters }] } : {}),
    ...(reasoning ? { thinking: { type: 'enabled', budget_tokens: 1024 } } : {}),
  }),
  readWhole(json) {
    const message = json as { type: string; content: Block[]; stop_reason: string };
    assert.equal(message.type, 'message');
    return {
      text: message.content.map((block) => (block.type === 'text' ? (block.text ?? '') : '')).join(''),
      reasoning: message.content.map((block) => (block.type === 'thinking' ? (block.thinking ?? '') : '')).join(''),
      toolCalls: message.content.filter((block) => block.type === 'tool_use').map((block) => ({ name: block.name ?? '', arguments: block.input })),
      complete: true,
    };
  },
  readStream(body, contentType) {
    const reading: ClientReading = { text: '', reasoning: '', toolCalls: [], complete: false };
    const blocks: (Block & { json: string })[] = [];
    let open: number | undefined;
    let started = false;
    for (const event of readSseEvents(body, contentType)) {
      assert.equal(reading.complete, false, 'nothing after message_stop');
      const data = JSON.parse(event.data) as { type: string; index?: number; content_block?: Block; delta?: { type: string; text?: string; thinking?: string; partial_json?: string } };
      assert.equal(event.event, data.type, 'the event name is the data type');
      if (data.type === 'error') {
        reading.error = readAnthropicError(data);
        continue;
      }
      if (data.type === 'ping') continue;
      if (!started) assert.equal(data.type, 'message_start', 'message_start comes first');
      started = true;
      if (data.type === 'content_block_start') {
        assert.equal(open, undefined, 'blocks one after another');
        assert.equal(data.index, blocks.length);
        open = data.index;
        blocks.push({ ...(data.content_block as Block), json: '' });
      } else if (data.type === 'content_block_delta') {
        assert.equal(data.index, open);
        const block = blocks[data.index ?? -1];
        if (block === undefined || data.delta === undefined) continue;
        if (data.delta.type === 'text_delta') block.text = (block.text ?? '') + (data.delta.text ?? '');
        else if (data.delta.type === 'thinking_delta') block.thinking = (block.thinking ?? '') + (data.delta.thinking ?? '');
        else if (data.delta.type === 'input_json_delta') block.json += data.delta.partial_json ?? '';
      } else if (data.type === 'content_block_stop') {
        assert.equal(data.index, open);
        open = undefined;
      } else if (data.type === 'message_stop') reading.complete = true;
    }
    reading.text = blocks.map((block) => (block.type === 'text' ? (block.text ?? '') : '')).join('');
    reading.reasoning = blocks.map((block) => (block.type === 'thinking' ? (block.thinking ?? '') : '')).join('');
    reading.toolCalls = blocks.filter((block) => block.type === 'tool_use').map((block) => ({ name: block.name ?? '', arguments: block.json }));
    return reading;
  },
  readError: (_status, json) => readAnthropicError(json),
});
