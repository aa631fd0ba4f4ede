import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ChatRequest } from '../src/canonical/chat-request.ts';
import type { ChatStreamEvent } from '../src/canonical/chat-stream-event.ts';
import { GatewayError, type GatewayErrorKind } from '../src/canonical/gateway-error.ts';
import { createLogger } from '../src/observability/create-logger.ts';
import type { CallContext, ProviderAdapter } from '../src/providers/provider-adapter.ts';
import { createProvider } from '../src/server/build-gateway.ts';
import { FakeGeminiServer } from '../test-support/fake-gemini-server.ts';
import { FakeOllamaUpstream } from '../test-support/fake-ollama-upstream.ts';

const log = createLogger('silent');
const context = (signal: AbortSignal = new AbortController().signal): CallContext => ({ signal, requestId: 'adapter-test', log });
const ask = (model: string): ChatRequest => ({ model, stream: true, messages: [{ role: 'user', parts: [{ type: 'text', text: 'Hi' }] }] });

/** What each provider's fake answers, in no provider's terms. */
interface Subject {
  name: string;
  model: string;
  adapter: ProviderAdapter;
  error(status: number, message: string, retryAfterSeconds?: number): void;
  cut(text: string): void;
  hold(text: string): void;
  lastCallClosedEarly(): Promise<boolean>;
}

const GOOGLE_STATUS: Record<number, string> = { 400: 'INVALID_ARGUMENT', 401: 'UNAUTHENTICATED', 404: 'NOT_FOUND', 429: 'RESOURCE_EXHAUSTED', 500: 'INTERNAL', 503: 'UNAVAILABLE' };
const ERROR_CLASSES: [number, GatewayErrorKind, boolean][] = [
  [400, 'invalid_request', false],
  [401, 'authentication', false],
  [404, 'not_found', false],
  [429, 'rate_limit', true],
  [500, 'upstream', true],
  [503, 'overloaded', true],
];

let gemini: FakeGeminiServer;
let ollama: FakeOllamaUpstream;
const subjects: Subject[] = [];

before(async () => {
  gemini = await FakeGeminiServer.start({ apiKey: 'k', models: [{ name: 'gemini-2.0-flash' }] });
  ollama = await FakeOllamaUpstream.start([{ name: 'llama3.2', family: 'llama', capabilities: ['completion'], contextLength: 8192 }]);
  subjects.push(
    {
      name: 'gemini',
      model: 'gemini-2.0-flash',
      adapter: await createProvider({ id: 'g', type: 'gemini', api_key: 'k', base_url: gemini.baseUrl }, log),
      error: (status, message, retry) => void gemini.reply({ error: { httpStatus: status, status: GOOGLE_STATUS[status] ?? 'UNKNOWN', message, ...(retry === undefined ? {} : { retryDelay: `${retry}s` }) } }),
      cut: (text) => void gemini.reply({ chunks: [[{ text }]], cut: true }),
      hold: (text) => void gemini.reply({ chunks: [[{ text }]], hold: true }),
      lastCallClosedEarly: async () => (await gemini.generateCalls().at(-1)?.closedEarly) ?? false,
    },
    {
      name: 'ollama',
      model: 'llama3.2',
      adapter: await createProvider({ id: 'o', type: 'ollama', base_url: ollama.baseUrl }, log),
      error: (status, message, retry) => void ollama.reply({ httpError: { status, message, ...(retry === undefined ? {} : { retryAfter: String(retry) }) } }),
      cut: (text) => void ollama.reply({ content: [text], cut: true }),
      hold: (text) => void ollama.reply({ content: [text], hold: true }),
      lastCallClosedEarly: async () => (await ollama.chatCalls().at(-1)?.closedEarly) ?? false,
    },
  );
});
after(async () => {
  for (const subject of subjects) await subject.adapter.close();
  await gemini.close();
  await ollama.close();
});

async function drain(events: AsyncIterable<ChatStreamEvent>): Promise<ChatStreamEvent[]> {
  const all: ChatStreamEvent[] = [];
  for await (const event of events) all.push(event);
  return all;
}

for (const name of ['gemini', 'ollama']) {
  describe(`the ${name} adapter's failures`, () => {
    const subject = (): Subject => subjects.find((candidate) => candidate.name === name) as Subject;

    for (const [status, kind, retryable] of ERROR_CLASSES) {
      it(`throws an upstream ${status} before any output as a ${kind} error`, async () => {
        subject().error(status, `upstream says ${status}`);
        const error = await subject().adapter.streamChat(ask(subject().model), context()).catch((thrown: unknown) => thrown);
        assert.ok(error instanceof GatewayError, String(error));
        assert.equal(error.kind, kind);
        assert.equal(error.retryable, retryable);
        assert.equal(error.upstreamStatus, status);
      });
    }

    it('passes the wait a rate limit asks for on', async () => {
      subject().error(429, 'slow down', 7);
      const error = await subject().adapter.streamChat(ask(subject().model), context()).catch((thrown: unknown) => thrown);
      assert.ok(error instanceof GatewayError);
      assert.equal(error.retryAfterSeconds, 7);
    });

    it('ends a stream cut before its finish with one error event, after the text that came', async () => {
      subject().cut('Once upon a time');
      const events = await drain(await subject().adapter.streamChat(ask(subject().model), context()));
      assert.deepEqual(events.filter((event) => event.type === 'finish' || event.type === 'error').map((event) => event.type), ['error']);
      assert.equal(events.at(-1)?.type, 'error');
      assert.equal(events.map((event) => (event.type === 'text-delta' ? event.text : '')).join(''), 'Once upon a time');
    });

    it('closes the upstream call when the caller aborts mid-stream, and ends the stream as canceled', async () => {
      subject().hold('A long answer');
      const controller = new AbortController();
      const iterator = (await subject().adapter.streamChat(ask(subject().model), context(controller.signal)))[Symbol.asyncIterator]();
      let next = await iterator.next();
      while (next.done !== true && next.value.type !== 'text-delta') next = await iterator.next();
      assert.equal(next.done !== true && next.value.type, 'text-delta');
      controller.abort();
      const rest: ChatStreamEvent[] = [];
      for (next = await iterator.next(); next.done !== true; next = await iterator.next()) rest.push(next.value);
      assert.equal(await subject().lastCallClosedEarly(), true);
      const last = rest.at(-1);
      assert.ok(last === undefined || (last.type === 'error' && last.error.kind === 'canceled'), JSON.stringify(last));
    });
  });
}
