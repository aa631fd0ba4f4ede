import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ChatRequest } from '../src/canonical/chat-request.ts';
import { responseReasoning, responseText, responseToolCalls, type ChatResponse } from '../src/canonical/chat-response.ts';
import type { ChatStreamEvent } from '../src/canonical/chat-stream-event.ts';
import type { GatewayErrorKind } from '../src/canonical/gateway-error.ts';
import type { Usage } from '../src/canonical/usage.ts';
import { createLogger } from '../src/observability/create-logger.ts';
import { collectChatResponse } from '../src/providers/collect-chat-response.ts';
import type { CallContext, ProviderAdapter } from '../src/providers/provider-adapter.ts';
import { CONTRACT_USAGE, type ContractAnswer, type ContractToolCall } from './provider-contract-answer.ts';
import { gatewayErrorRejection } from './assert-gateway-error.ts';

/**
 * The cases every provider adapter passes (DESIGN.md house rule 6), each against the provider's
 * own fake upstream speaking its real wire format. A provider joins with one call:
 *
 *   runProviderAdapterContract({ name: 'cerebras', start: async () => …harness… });
 */
export interface ProviderContractSubject {
  name: string;
  start(): Promise<ProviderContractHarness>;
}

/** One provider adapter pointed at its fake upstream, and what the contract needs to know of that upstream. */
export interface ProviderContractHarness {
  adapter: ProviderAdapter;
  /** The model id to ask for. */
  model: string;
  /** What the upstream answers to every chat call from now on. */
  answer(answer: ContractAnswer): void;
  /** What the last chat call carried, read from the provider's own request body. */
  lastRequest(): SentRequest;
  /** Resolves true when llmux closed the last chat call before the upstream finished it. */
  lastCallClosedEarly(): Promise<boolean>;
  /** Whether the provider's protocol reports usage (else routing counts it and the adapter leaves it out). */
  reportsUsage: boolean;
  close(): Promise<void>;
}

export interface SentRequest {
  /** The text of every message sent, in order (system, user, assistant, tool alike). */
  texts: string[];
  /** How many images were sent (inline, as URLs or as uploaded attachments). */
  images: number;
  /** Tool results sent, with the tool call id they answer where the protocol carries one. */
  toolResults: { toolCallId?: string; content: string }[];
  /** Tools declared, by name. */
  tools: string[];
}

const log = createLogger('silent');
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
const TOOL = { name: 'get_weather', description: 'Weather for a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } };
const CALLS: ContractToolCall[] = [
  { id: 'call_paris', name: 'get_weather', arguments: '{"city":"Paris"}' },
  { id: 'call_oslo', name: 'get_weather', arguments: '{"city":"Oslo ❄"}' },
];
/** Each status an upstream answers, and the error kind every provider maps it to. */
const ERROR_CLASSES: [number, GatewayErrorKind, boolean][] = [
  [400, 'invalid_request', false],
  [401, 'authentication', false],
  [404, 'not_found', false],
  [429, 'rate_limit', true],
  [500, 'upstream', true],
  [503, 'overloaded', true],
];

export function runProviderAdapterContract(subject: ProviderContractSubject): void {
  describe(`provider adapter contract: ${subject.name}`, () => {
    let harness: ProviderContractHarness;
    before(async () => {
      harness = await subject.start();
    });
    after(() => harness.close());

    const ask = (text: string, extra: Partial<ChatRequest> = {}): ChatRequest => ({
      model: harness.model,
      stream: true,
      messages: [{ role: 'user', parts: [{ type: 'text', text }] }],
      ...extra,
    });
    const stream = async (request: ChatRequest, context: CallContext = callContext()): Promise<ChatStreamEvent[]> => Array.fromAsync(await harness.adapter.streamChat(request, context));

    it('streams a text answer that ends with exactly one finish', async () => {
      harness.answer({ kind: 'text', text: 'Hello there, café ☕' });
      const events = await stream(ask('Hi'));
      assertOneTerminal(events, 'finish');
      const response = await collectChatResponse(replay(events));
      assert.equal(textOf(response), 'Hello there, café ☕');
      assert.equal(response.finishReason, 'stop');
      assert.ok(harness.lastRequest().texts.includes('Hi'), 'the prompt reached the upstream');
    });

    it('answers a whole text answer', async () => {
      harness.answer({ kind: 'text', text: 'Whole answer' });
      const response = await harness.adapter.completeChat(ask('Hi', { stream: false }), callContext());
      assert.equal(textOf(response), 'Whole answer');
      assert.equal(response.finishReason, 'stop');
    });

    it('reports the upstream usage, or none where its protocol has none', async () => {
      harness.answer({ kind: 'text', text: 'Counted' });
      const events = await stream(ask('Hi'));
      const finish = events.at(-1);
      assert.ok(finish?.type === 'finish');
      if (harness.reportsUsage) assert.deepEqual(usageCounts(finish.usage), { ...CONTRACT_USAGE, source: 'upstream' });
      else assert.equal(finish.usage, undefined, 'routing counts it');
    });

    for (const mode of ['streamed', 'whole'] as const) {
      it(`returns tool calls, ${mode}, with ids, names and arguments intact`, async () => {
        harness.answer({ kind: 'tool-calls', calls: CALLS });
        const request = ask('Weather in Paris and Oslo?', { tools: [TOOL], stream: mode === 'streamed' });
        const response = mode === 'streamed' ? await collectChatResponse(replay(await stream(request))) : await harness.adapter.completeChat(request, callContext());
        assert.deepEqual(toolCallsOf(response), CALLS);
        assert.equal(response.finishReason, 'tool-calls');
        assert.deepEqual(harness.lastRequest().tools, ['get_weather']);
      });
    }

    it('sends a tool-result turn: the call and its result', async () => {
      harness.answer({ kind: 'text', text: 'It is 21 °C in Paris.' });
      const events = await stream(
        ask('', {
          tools: [TOOL],
          messages: [
            { role: 'user', parts: [{ type: 'text', text: 'Weather in Paris?' }] },
            { role: 'assistant', parts: [{ type: 'tool-call', id: 'call_paris', name: 'get_weather', arguments: '{"city":"Paris"}' }] },
            { role: 'tool', parts: [{ type: 'tool-result', toolCallId: 'call_paris', toolName: 'get_weather', content: '{"temp":21}' }] },
          ],
        }),
      );
      assertOneTerminal(events, 'finish');
      const sent = harness.lastRequest().toolResults;
      assert.equal(sent.length, 1);
      assert.equal(sent[0]?.content, '{"temp":21}');
      if (sent[0]?.toolCallId !== undefined) assert.equal(sent[0].toolCallId, 'call_paris');
    });

    it('sends an image', async () => {
      harness.answer({ kind: 'text', text: 'A pixel.' });
      const events = await stream(
        ask('', {
          messages: [{ role: 'user', parts: [{ type: 'text', text: 'What is this?' }, { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: PNG.toString('base64') } }] }],
        }),
      );
      assertOneTerminal(events, 'finish');
      assert.equal(harness.lastRequest().images, 1);
    });

    it('separates reasoning from the answer', async () => {
      harness.answer({ kind: 'reasoning', reasoning: 'The user greets me.', text: 'Hello!' });
      const streamed = await collectChatResponse(replay(await stream(ask('Hi'))));
      assert.equal(textOf(streamed), 'Hello!');
      assert.match(reasoningOf(streamed), /The user greets me\./);
      const whole = await harness.adapter.completeChat(ask('Hi', { stream: false }), callContext());
      assert.equal(textOf(whole), 'Hello!');
      assert.match(reasoningOf(whole), /The user greets me\./);
    });

    for (const [status, kind, retryable] of ERROR_CLASSES) {
      it(`throws an upstream ${status} before any output as a ${kind} error`, async () => {
        harness.answer({ kind: 'error', status, message: `upstream says ${status}` });
        const error = await gatewayErrorRejection(stream(ask('Hi')), 'expected the call to be refused before any output');
        assert.equal(error.kind, kind);
        assert.equal(error.retryable, retryable);
        assert.equal(error.upstreamStatus, status);
      });
    }

    it('passes retry-after on with a rate limit', async () => {
      harness.answer({ kind: 'error', status: 429, message: 'slow down', retryAfterSeconds: 7 });
      const error = await gatewayErrorRejection(stream(ask('Hi')), 'expected the call to be refused before any output');
      assert.equal(error.retryAfterSeconds, 7);
    });

    it('closes the upstream call when the caller aborts mid-stream, and ends the stream as canceled', async () => {
      harness.answer({ kind: 'hold', text: 'A long answer' });
      const controller = new AbortController();
      const events = await harness.adapter.streamChat(ask('Tell me everything'), callContext(controller.signal));
      const iterator = events[Symbol.asyncIterator]();
      let next = await iterator.next();
      while (next.done !== true && next.value.type !== 'text-delta') next = await iterator.next();
      assert.equal(next.done !== true && next.value.type, 'text-delta', 'output arrived before the abort');
      controller.abort();
      const rest: ChatStreamEvent[] = [];
      for (next = await iterator.next(); next.done !== true; next = await iterator.next()) rest.push(next.value);
      assert.equal(await harness.lastCallClosedEarly(), true, 'the upstream call was closed');
      const last = rest.at(-1);
      assert.ok(last === undefined || (last.type === 'error' && last.error.kind === 'canceled'), `ended with ${JSON.stringify(last)}`);
      assert.ok(!rest.some((event) => event.type === 'finish'), 'no finish after an abort');
    });

    it('ends a stream cut before its finish with one error event, after the text that came', async () => {
      harness.answer({ kind: 'cut', text: 'Once upon a time' });
      const events = await stream(ask('A story'));
      assertOneTerminal(events, 'error');
      const text = events.map((event) => (event.type === 'text-delta' ? event.text : '')).join('');
      assert.equal(text, 'Once upon a time');
    });
  });
}

function callContext(signal: AbortSignal = new AbortController().signal): CallContext {
  return { signal, requestId: 'contract', log };
}

async function* replay(events: ChatStreamEvent[]): AsyncGenerator<ChatStreamEvent> {
  yield* events;
}

/**
 * The stream's shape: blocks strictly one after another (a block ends before the next starts),
 * ids unique within the stream, every delta inside its own open block, nothing left open at the
 * end; then exactly one finish or error, and it is the last event.
 */
function assertOneTerminal(events: ChatStreamEvent[], type: 'finish' | 'error'): void {
  let open: { id: string; kind: string } | undefined;
  const ids = new Set<string>();
  for (const event of events) {
    const [kind, phase] = event.type.startsWith('tool-call-') ? ['tool-call', event.type.slice(10)] : event.type.split('-');
    if (phase === 'start' && 'id' in event && kind !== 'response') {
      assert.equal(open, undefined, `${event.type} while block ${JSON.stringify(open)} is open`);
      assert.ok(!ids.has(event.id as string), `block id ${String(event.id)} used twice`);
      ids.add(event.id as string);
      open = { id: event.id as string, kind: kind as string };
    } else if ((phase === 'delta' || phase === 'end') && 'id' in event) {
      assert.deepEqual(open, { id: event.id, kind }, `${event.type} outside its block`);
      if (phase === 'end') open = undefined;
    } else if (event.type === 'finish' || event.type === 'error') {
      assert.equal(open, undefined, `${event.type} with block ${JSON.stringify(open)} still open`);
    }
  }

  const terminals = events.filter((event) => event.type === 'finish' || event.type === 'error');
  assert.deepEqual(
    terminals.map((event) => event.type),
    [type],
    `one ${type}: ${JSON.stringify(terminals)}`,
  );
  assert.equal(events.at(-1)?.type, type);
}

// The only places that read the canonical response and usage shapes.
function textOf(response: ChatResponse): string {
  return responseText(response);
}

function reasoningOf(response: ChatResponse): string {
  return responseReasoning(response);
}

function toolCallsOf(response: ChatResponse): ContractToolCall[] {
  return responseToolCalls(response).map((call) => ({ id: call.id, name: call.name, arguments: call.arguments }));
}

function usageCounts(usage: Usage | undefined): { input: number; output: number; source: string } | undefined {
  return usage === undefined ? undefined : { input: usage.input.total, output: usage.output.total, source: usage.source };
}
