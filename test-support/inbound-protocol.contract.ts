import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import type { ChatStreamEvent } from '../src/canonical/chat-stream-event.ts';
import { GatewayError } from '../src/canonical/gateway-error.ts';
import type { CallContext } from '../src/providers/provider-adapter.ts';
import { ScriptedProvider, textScript } from './scripted-provider.ts';
import { startTestGateway, type TestGateway } from './start-test-gateway.ts';

/**
 * The cases every inbound protocol passes (DESIGN.md house rule 6), against a scripted provider:
 * what a client of that protocol sees for text, streams, tools, reasoning, errors before and
 * after output, and what an abort does upstream. A protocol joins with one call and a descriptor
 * that builds its requests and reads its answers:
 *
 *   runInboundProtocolContract({ name: 'ollama chat', path: '/api/chat', … });
 */
export interface InboundProtocolSubject {
  name: string;
  /** The route a client posts to. */
  path: string;
  /** What the protocol can carry back to the client. */
  carries: { tools: boolean; reasoning: boolean };
  /** A request: the model, one user message, streamed or not; with the contract tool and reasoning turned on when asked. */
  body(request: ContractRequest): Record<string, unknown>;
  /** A whole answer as the client reads it. */
  readWhole(json: unknown): ClientReading;
  /** A streamed answer as the client reads it; asserts the protocol's framing on the way. */
  readStream(body: string, contentType: string | null): ClientReading;
  /** An error answer's message; asserts the protocol's error shape on the way. */
  readError(status: number, json: unknown): string;
}

export interface ContractRequest {
  model: string;
  text: string;
  stream: boolean;
  tools: boolean;
  reasoning: boolean;
}

export interface ClientReading {
  text: string;
  reasoning: string;
  toolCalls: { name: string; arguments: unknown }[];
  /** The error the stream ended with, if it did. */
  error?: string;
  /** The stream ended with the protocol's own end marker (`[DONE]`, `done: true`). */
  complete: boolean;
}

/** The tool every tools case declares, in OpenAI's and Ollama's shape alike. */
export const CONTRACT_TOOL = {
  type: 'function',
  function: { name: 'get_weather', description: 'Weather for a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
};

export function runInboundProtocolContract(subject: InboundProtocolSubject): void {
  describe(`inbound protocol contract: ${subject.name}`, () => {
    let gateway: TestGateway;
    const provider = new ScriptedProvider('scripted', [{ id: 'm' }]);
    before(async () => {
      gateway = await startTestGateway({}, { adapters: [provider] });
    });
    after(() => gateway.close());

    const request = (fields: Partial<ContractRequest> = {}): ContractRequest => ({ model: 'm', text: 'Hi', stream: false, tools: false, reasoning: false, ...fields });
    const post = (body: Record<string, unknown>, signal?: AbortSignal): Promise<Response> =>
      fetch(gateway.baseUrl + subject.path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), ...(signal === undefined ? {} : { signal }) });
    const whole = async (fields: Partial<ContractRequest>): Promise<ClientReading> => {
      const response = await post(subject.body(request({ ...fields, stream: false })));
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
      return subject.readWhole(await response.json());
    };
    const streamed = async (fields: Partial<ContractRequest>): Promise<ClientReading> => {
      const response = await post(subject.body(request({ ...fields, stream: true })));
      assert.equal(response.status, 200);
      return subject.readStream(await response.text(), response.headers.get('content-type'));
    };

    it('answers a whole text answer', async () => {
      provider.script = scriptText('Hello there, café ☕');
      const reading = await whole({ text: 'Say hello' });
      assert.equal(reading.text, 'Hello there, café ☕');
      assert.equal(provider.requests.at(-1)?.model, 'm');
      assert.ok(JSON.stringify(provider.requests.at(-1)?.messages).includes('Say hello'), 'the prompt reached the provider');
    });

    it("streams text in the protocol's framing, ending with its end marker", async () => {
      provider.script = scriptText('Hello there, café ☕');
      const reading = await streamed({});
      assert.equal(reading.text, 'Hello there, café ☕');
      assert.equal(reading.complete, true);
      assert.equal(reading.error, undefined);
    });

    if (subject.carries.tools) {
      for (const stream of [false, true]) {
        it(`passes tools to the provider and its tool calls back, ${stream ? 'streamed' : 'whole'}`, async () => {
          provider.script = scriptToolCall('call_1', 'get_weather', '{"city":"Paris"}');
          const reading = stream ? await streamed({ tools: true }) : await whole({ tools: true });
          assert.deepEqual(provider.requests.at(-1)?.tools?.map((tool) => tool.name), ['get_weather']);
          assert.deepEqual(
            reading.toolCalls.map((call) => ({ name: call.name, arguments: typeof call.arguments === 'string' ? (JSON.parse(call.arguments) as unknown) : call.arguments })),
            [{ name: 'get_weather', arguments: { city: 'Paris' } }],
          );
        });
      }
    }

    if (subject.carries.reasoning) {
      for (const stream of [false, true]) {
        it(`passes reasoning apart from the answer, ${stream ? 'streamed' : 'whole'}`, async () => {
          provider.script = scriptReasoning('The user greets me.', 'Hello!');
          const reading = stream ? await streamed({ reasoning: true }) : await whole({ reasoning: true });
          assert.equal(reading.reasoning, 'The user greets me.');
          assert.equal(reading.text, 'Hello!');
        });
      }
    }

    for (const stream of [false, true]) {
      it(`answers an error before any output with its status in the protocol's shape, ${stream ? 'streamed' : 'whole'}`, async () => {
        provider.script = new GatewayError('rate_limit', 'the upstream is busy', { retryAfterSeconds: 3 });
        const response = await post(subject.body(request({ stream })));
        assert.equal(response.status, 429);
        assert.equal(response.headers.get('retry-after'), '3');
        assert.match(subject.readError(response.status, await response.json()), /the upstream is busy/);
      });
    }

    it('ends a stream that fails after output in the protocol’s error form, without its end marker', async () => {
      provider.script = scriptTextThenError('Once upon', new GatewayError('upstream', 'the upstream broke off'));
      const reading = await streamed({});
      assert.equal(reading.text, 'Once upon');
      assert.match(reading.error ?? '', /the upstream broke off/);
      assert.equal(reading.complete, false);
    });

    it('aborts the provider call when the client goes away mid-stream', async () => {
      let started: () => void = () => undefined;
      const streaming = new Promise<void>((resolve) => {
        started = resolve;
      });
      provider.script = (_request, context: CallContext) =>
        (async function* (): AsyncGenerator<ChatStreamEvent> {
          yield* scriptOpenText('The first words');
          started();
          if (!context.signal.aborted) await once(context.signal, 'abort');
          throw new GatewayError('canceled', 'request canceled');
        })();
      const controller = new AbortController();
      const response = await post(subject.body(request({ stream: true })), controller.signal);
      assert.equal(response.status, 200);
      const reader = response.body?.getReader();
      assert.ok(reader !== undefined);
      assert.equal((await reader.read()).done, false);
      await streaming;
      controller.abort();
      const signal = provider.lastSignal;
      assert.ok(signal !== undefined);
      if (!signal.aborted) await once(signal, 'abort');
      assert.equal(signal.aborted, true);
    });
  });
}

// The only places that build canonical stream events.
function scriptText(text: string): ChatStreamEvent[] {
  return textScript(text);
}

function scriptOpenText(text: string): ChatStreamEvent[] {
  return [{ type: 'response-start' }, { type: 'text-start', id: 't' }, { type: 'text-delta', id: 't', text }];
}

function scriptTextThenError(text: string, error: GatewayError): ChatStreamEvent[] {
  return [...scriptOpenText(text), { type: 'error', error }];
}

function scriptToolCall(id: string, name: string, args: string): ChatStreamEvent[] {
  return [
    { type: 'response-start' },
    { type: 'tool-call-start', id: 'c', toolCallId: id, name },
    { type: 'tool-call-delta', id: 'c', argumentsDelta: args.slice(0, 5) },
    { type: 'tool-call-delta', id: 'c', argumentsDelta: args.slice(5) },
    { type: 'tool-call-end', id: 'c' },
    { type: 'finish', finishReason: 'tool-calls', usage: { input: { total: 5 }, output: { total: 3 }, source: 'upstream' } },
  ];
}

function scriptReasoning(reasoning: string, text: string): ChatStreamEvent[] {
  return [
    { type: 'response-start' },
    { type: 'reasoning-start', id: 'r' },
    { type: 'reasoning-delta', id: 'r', text: reasoning },
    { type: 'reasoning-end', id: 'r' },
    { type: 'text-start', id: 't' },
    { type: 'text-delta', id: 't', text },
    { type: 'text-end', id: 't' },
    { type: 'finish', finishReason: 'stop', usage: { input: { total: 5 }, output: { total: 3 }, source: 'upstream' } },
  ];
}
