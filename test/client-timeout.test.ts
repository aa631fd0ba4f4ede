import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { ScriptedProvider, textScript } from '../test-support/scripted-provider.ts';
import { startTestGateway, type TestGateway } from '../test-support/start-test-gateway.ts';

const HEADERS_MS = 200;
const REQUEST_MS = 300;
const BODY_MESSAGE = `request timed out: its body did not all arrive within ${REQUEST_MS} ms (client_timeout.request_ms)`;
const HEADERS_MESSAGE = `request timed out: its headers did not all arrive within ${HEADERS_MS} ms (client_timeout.headers_ms)`;

interface RawAnswer {
  status: string;
  headers: Map<string, string>;
  body: string;
}

/**
 * Clients that stall in their headers or body: Node cuts them off (checking every second), and
 * llmux answers the 408 in the error shape of the protocol the path belongs to. The stalls run at
 * once, so the suite waits for one check, not one each.
 */
describe('a client that stalls past client_timeout', { concurrency: true }, () => {
  let gateway: TestGateway;
  const logLines: string[] = [];

  before(async () => {
    const scripted = new ScriptedProvider('scripted', [{ id: 'm' }]);
    scripted.script = textScript('ok');
    gateway = await startTestGateway({ client_timeout: { headers_ms: HEADERS_MS, request_ms: REQUEST_MS } }, { adapters: [scripted], logLines });
  });
  after(() => gateway.close());

  /** Writes `text` and nothing more; the whole answer once llmux closes the connection. */
  function stall(text: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket = connect(Number(new URL(gateway.baseUrl).port), '127.0.0.1');
      let received = '';
      socket.on('data', (data) => (received += data.toString()));
      socket.on('close', () => resolve(received));
      socket.on('error', reject);
      socket.write(text);
    });
  }

  const stallBody = (path: string, host = 'localhost'): Promise<string> =>
    stall(`POST ${path} HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"model":`);

  function parse(answer: string): RawAnswer {
    const [head = '', body = ''] = answer.split('\r\n\r\n', 2);
    const [status = '', ...lines] = head.split('\r\n');
    const headers = new Map(lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
    return { status, headers, body };
  }

  function assert408(answer: string): unknown {
    const parsed = parse(answer);
    assert.equal(parsed.status, 'HTTP/1.1 408 Request Timeout');
    assert.equal(parsed.headers.get('connection'), 'close');
    assert.equal(parsed.headers.get('content-type'), 'application/json; charset=utf-8');
    assert.equal(parsed.headers.get('content-length'), String(Buffer.byteLength(parsed.body)));
    return JSON.parse(parsed.body);
  }

  /** The request's access line, written when its response closes (at about the time the client sees the close). */
  async function accessLine(url: string): Promise<Record<string, unknown>> {
    for (let waited = 0; waited < 2_000; waited += 20) {
      const line = logLines.map((text) => JSON.parse(text) as Record<string, unknown>).find((entry) => entry.msg === 'request' && entry.url === url);
      if (line !== undefined) return line;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.fail(`no access line for ${url}: ${logLines.join('')}`);
  }

  function loggedTimeout(message: string, url?: string): void {
    const line = logLines.map((text) => JSON.parse(text) as Record<string, unknown>).find((entry) => entry.msg === message && entry.url === url);
    assert.ok(line !== undefined, `no log line "${message}" for ${url}: ${logLines.join('')}`);
    assert.equal(line.status, 408);
    assert.equal(line.code, 'request_timeout');
  }

  it('answers a stalled OpenAI body in OpenAI\'s shape', async () => {
    const body = assert408(await stallBody('/v1/chat/completions?key=secret'));
    assert.deepEqual(body, { error: { message: BODY_MESSAGE, type: 'invalid_request_error', param: null, code: 'request_timeout' } });
    loggedTimeout(BODY_MESSAGE, '/v1/chat/completions?key=[redacted]');
    const access = await accessLine('/v1/chat/completions?key=[redacted]');
    assert.equal(access.status, 408, 'the request is recorded as the 408 it got, not as a client abort');
    assert.equal(access.result, 'error');
    assert.deepEqual(access.error, { kind: 'invalid_request', message: BODY_MESSAGE });
  });

  it('answers a stalled Anthropic body in Anthropic\'s shape', async () => {
    const body = assert408(await stallBody('/v1/messages'));
    assert.deepEqual(body, { type: 'error', error: { type: 'invalid_request_error', message: BODY_MESSAGE } });
    loggedTimeout(BODY_MESSAGE, '/v1/messages');
  });

  it('answers a stalled Ollama body in Ollama\'s shape', async () => {
    const body = assert408(await stallBody('/api/chat'));
    assert.deepEqual(body, { error: BODY_MESSAGE });
    loggedTimeout(BODY_MESSAGE, '/api/chat');
  });

  it('answers a stalled body on a path no protocol claims as refusals before routing do', async () => {
    const body = assert408(await stallBody('/health'));
    assert.deepEqual(body, { error: BODY_MESSAGE });
    loggedTimeout(BODY_MESSAGE, '/health');
  });

  it('answers stalled headers, whose path is not known yet, in OpenAI\'s shape', async () => {
    const body = assert408(await stall('POST /api/chat HTTP/1.1\r\nHost: localhost\r\nX-Partial: '));
    assert.deepEqual(body, { error: { message: HEADERS_MESSAGE, type: 'invalid_request_error', param: null, code: 'request_timeout' } });
    loggedTimeout(HEADERS_MESSAGE);
  });

  it('answers stalled headers after a whole request on the same connection as headers, not as that request', async () => {
    const answer = await stall('GET /api/version HTTP/1.1\r\nHost: localhost\r\n\r\nPOST /api/chat HTTP/1.1\r\nHost: localhost\r\nX-Partial: ');
    const second = answer.indexOf('HTTP/1.1 408');
    assert.equal(parse(answer.slice(0, second)).status, 'HTTP/1.1 200 OK');
    assert.equal((assert408(answer.slice(second)) as { error: { message: string } }).error.message, HEADERS_MESSAGE);
  });

  it('adds nothing to an answer already sent before the body stalled, and logs the timeout', async () => {
    // The Host guard refuses at once, without reading the body.
    const answer = await stallBody('/api/generate', 'evil.example');
    assert.equal(parse(answer).status, 'HTTP/1.1 403 Forbidden');
    assert.doesNotMatch(answer, /408/);
    loggedTimeout(BODY_MESSAGE, '/api/generate');
  });

  it('answers other client errors as Fastify does', async () => {
    const garbage = await stall('NOT HTTP AT ALL\r\n\r\n');
    assert.equal(garbage, 'HTTP/1.1 400 Bad Request\r\nContent-Length: 65\r\nContent-Type: application/json\r\n\r\n{"error":"Bad Request","message":"Client Error","statusCode":400}');
    const overflow = await stall(`GET /health HTTP/1.1\r\nHost: localhost\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    assert.equal(
      overflow,
      'HTTP/1.1 431 Request Header Fields Too Large\r\nContent-Length: 114\r\nContent-Type: application/json\r\n\r\n{"error":"Request Header Fields Too Large","message":"Exceeded maximum allowed HTTP header size","statusCode":431}',
    );
  });
});
