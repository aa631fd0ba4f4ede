import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import { z } from 'zod';
import { otlpSettingsFromEnvironment } from '../src/observability/tracing/otlp-settings.ts';
import { listenOnLoopback } from '../test-support/loopback-server.ts';
import { ScriptedProvider, textScript } from '../test-support/scripted-provider.ts';
import { startTestGateway, type TestGateway } from '../test-support/start-test-gateway.ts';

/**
 * ExportTraceServiceRequest in OTLP/JSON, as opentelemetry-proto defines it
 * (opentelemetry/proto/collector/trace/v1/trace_service.proto, JSON mapping per the OTLP spec:
 * lowerCamelCase fields, trace and span ids as hex, 64-bit integers as decimal strings).
 */
const anyValue = z.union([z.object({ stringValue: z.string() }), z.object({ intValue: z.string().regex(/^-?\d+$/) }), z.object({ doubleValue: z.number() }), z.object({ boolValue: z.boolean() })]);
const keyValue = z.object({ key: z.string(), value: anyValue });
const exportRequest = z.object({
  resourceSpans: z.array(
    z.object({
      resource: z.object({ attributes: z.array(keyValue) }),
      scopeSpans: z.array(
        z.object({
          scope: z.object({ name: z.string(), version: z.string().optional() }),
          spans: z.array(
            z.object({
              traceId: z.string().regex(/^[0-9a-f]{32}$/),
              spanId: z.string().regex(/^[0-9a-f]{16}$/),
              parentSpanId: z.string().regex(/^[0-9a-f]{16}$/).optional(),
              name: z.string(),
              kind: z.number().int().min(0).max(5),
              startTimeUnixNano: z.string().regex(/^\d+$/),
              endTimeUnixNano: z.string().regex(/^\d+$/),
              attributes: z.array(keyValue),
              status: z.object({ code: z.number().int().min(0).max(2), message: z.string().optional() }),
            }),
          ),
        }),
      ),
    }),
  ),
});
type ExportRequest = z.infer<typeof exportRequest>;

describe('OpenTelemetry traces over OTLP/HTTP', () => {
  let receiver: Server;
  const received: { path: string; contentType: string; authorization: string; body: ExportRequest }[] = [];
  let gateway: TestGateway;
  const provider = new ScriptedProvider('fake', [{ id: 'm' }]);
  provider.script = textScript('hello', { input: { total: 12 }, output: { total: 7 } });

  before(async () => {
    receiver = createServer((request, response) => {
      let text = '';
      request.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      request.on('end', () => {
        received.push({ path: request.url ?? '', contentType: request.headers['content-type'] ?? '', authorization: request.headers.authorization ?? '', body: exportRequest.parse(JSON.parse(text)) });
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    const receiverPort = await listenOnLoopback(receiver);
    const { settings, problems } = otlpSettingsFromEnvironment({
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${receiverPort}/`,
      OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer%20otel-token',
      OTEL_SERVICE_NAME: 'gateway-a',
    });
    assert.deepEqual(problems, []);
    assert.ok(settings !== undefined);
    gateway = await startTestGateway({ keys: [{ key: 'sk-a', name: 'alice' }] }, { adapters: [provider], tracing: settings });
  });
  after(async () => {
    await new Promise((resolve) => receiver.close(resolve));
  });

  it('exports one server span per request and one client span per upstream attempt, with GenAI attributes', async () => {
    const openai = new OpenAI({ baseURL: `${gateway.baseUrl}/v1`, apiKey: 'sk-a', maxRetries: 0 });
    await openai.chat.completions.create({ model: 'fake/m', messages: [{ role: 'user', content: 'hi' }] });
    await fetch(`${gateway.baseUrl}/health`);
    await gateway.close(); // sends what is queued

    assert.equal(received.length, 1);
    const [export1] = received;
    assert.equal(export1?.path, '/v1/traces');
    assert.equal(export1?.contentType, 'application/json');
    assert.equal(export1?.authorization, 'Bearer otel-token');
    const resource = export1?.body.resourceSpans[0];
    assert.deepEqual(resource?.resource.attributes[0], { key: 'service.name', value: { stringValue: 'gateway-a' } });
    const spans = resource?.scopeSpans[0]?.spans ?? [];
    assert.equal(spans.length, 2, 'the health poll makes no span');
    const [server, client] = spans;
    const attributes = (span: (typeof spans)[number] | undefined) => Object.fromEntries((span?.attributes ?? []).map(({ key, value }) => [key, Object.values(value)[0]]));
    assert.equal(server?.name, 'chat fake/m');
    assert.equal(server?.kind, 2);
    assert.equal(server?.parentSpanId, undefined);
    assert.deepEqual(
      { ...attributes(server), 'llmux.request_id': undefined, 'llmux.overhead_ms': undefined, 'llmux.ttft_ms': undefined },
      {
        'gen_ai.operation.name': 'chat',
        'gen_ai.request.model': 'fake/m',
        'gen_ai.response.model': 'm',
        'gen_ai.provider.name': 'scripted',
        'gen_ai.usage.input_tokens': '12',
        'gen_ai.usage.output_tokens': '7',
        'http.route': '/v1/chat/completions',
        'http.response.status_code': '200',
        'llmux.request_id': undefined,
        'llmux.protocol': 'openai',
        'llmux.key': 'alice',
        'llmux.provider': 'fake',
        'llmux.streamed': false,
        'llmux.result': 'success',
        'llmux.overhead_ms': undefined,
        'llmux.ttft_ms': undefined,
      },
    );
    assert.equal(typeof attributes(server)['llmux.ttft_ms'], 'number');
    assert.equal(client?.kind, 3);
    assert.equal(client?.traceId, server?.traceId);
    assert.equal(client?.parentSpanId, server?.spanId);
    assert.equal(client?.name, 'chat m');
    assert.equal(attributes(client)['gen_ai.provider.name'], 'scripted');
    assert.ok(BigInt(server?.startTimeUnixNano ?? 0) <= BigInt(client?.startTimeUnixNano ?? 0));
    assert.ok(BigInt(client?.endTimeUnixNano ?? 0) <= BigInt(server?.endTimeUnixNano ?? 0));
  });

  it('reads the standard variables, and is off without an endpoint', () => {
    assert.deepEqual(otlpSettingsFromEnvironment({}), { problems: [] });
    assert.deepEqual(otlpSettingsFromEnvironment({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://c:4318/custom', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }), {
      settings: { tracesUrl: 'http://c:4318/custom', headers: {}, serviceName: 'llmux' },
      problems: ['OTEL_EXPORTER_OTLP_PROTOCOL=grpc: llmux exports traces as OTLP/HTTP JSON (http/json), which OTLP/HTTP receivers accept'],
    });
    assert.deepEqual(otlpSettingsFromEnvironment({ OTEL_EXPORTER_OTLP_ENDPOINT: 'localhost:4318' }).settings, undefined);
  });
});
