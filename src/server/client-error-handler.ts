import { STATUS_CODES, ServerResponse, type IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { ConnectionError, FastifyBaseLogger } from 'fastify';
import { GatewayError } from '../canonical/gateway-error.ts';
import { formatOpenAIError } from '../inbound/openai/openai-error-response.ts';
import { redactQueryString } from '../observability/redact-query-string.ts';
import { clientTimeoutAnswers } from './client-timeout-answers.ts';
import { protocolForPath } from './protocol-for-path.ts';
import type { InboundProtocol } from './register-protocol-scope.ts';

/** The config's `client_timeout`: how long a client may take to send its headers, and its whole request. */
export interface ClientTimeouts {
  headers_ms: number;
  request_ms: number;
}

/**
 * What Node's HTTP server keeps on a connection (internal to Node, so read only where it looks as
 * expected): its parser's last request (`incoming`, from its headers on, `complete` once its body
 * is in), and the response being answered (`_httpMessage`, from the request's headers until the
 * response is finished).
 */
interface HttpConnectionSlots {
  parser?: { incoming?: unknown } | null;
  _httpMessage?: unknown;
}

/**
 * Fastify's `clientErrorHandler`: what a client gets when Node gives up on its connection before
 * any route answers. A request that timed out (headers or body trickling in past
 * `client_timeout`) is answered 408 in the error shape of the protocol its path belongs to, with
 * `connection: close`, and logged. Once the headers have arrived the path is known; while they
 * are still arriving it is not (Node's parser keeps the request line to itself), and the answer
 * takes OpenAI's shape, which most clients read. A request cut off in its body is recorded as
 * this 408 (its access line and usage record, through clientTimeoutAnswers), not as a client that
 * went away; the handler's own line says which timeout it was. Any other client error is answered
 * as Fastify answers it by default.
 */
export function createClientErrorHandler(protocols: readonly InboundProtocol[], log: FastifyBaseLogger, timeouts: ClientTimeouts): (error: ConnectionError, socket: Socket) => void {
  return (error, socket) => {
    // A connection reset: the socket is gone and there is no one to answer.
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') answerTimeout(socket, error, protocols, log, timeouts);
    else answerAsFastify(socket, error, log);
  };
}

function answerTimeout(socket: Socket, error: ConnectionError, protocols: readonly InboundProtocol[], log: FastifyBaseLogger, timeouts: ClientTimeouts): void {
  const slots = socket as Socket & HttpConnectionSlots;
  const request = bodyArriving(slots.parser?.incoming);
  const message =
    request === undefined
      ? `request timed out: its headers did not all arrive within ${timeouts.headers_ms} ms (client_timeout.headers_ms)`
      : `request timed out: its body did not all arrive within ${timeouts.request_ms} ms (client_timeout.request_ms)`;
  const timeout = new GatewayError('invalid_request', message, { status: 408, code: 'request_timeout' });
  const url = request?.url;
  log.info({ status: timeout.status, kind: timeout.kind, code: timeout.code, method: request?.method, url: url === undefined ? undefined : redactQueryString(url) }, timeout.message);
  if (socket.writable && mayAnswer(slots._httpMessage, request)) {
    // As refusals before routing answer (refuseBeforeRouting): `{"error":"…"}` on a path no protocol claims.
    const formatted = url === undefined ? formatOpenAIError(timeout) : (protocolForPath(protocols, url)?.formatError(timeout) ?? { status: timeout.status, body: { error: timeout.message } });
    const body = JSON.stringify(formatted.body);
    const headers: Record<string, string> = {
      'content-type': 'application/json; charset=utf-8',
      ...formatted.headers,
      'content-length': String(Buffer.byteLength(body)),
      connection: 'close',
    };
    let head = `HTTP/1.1 ${formatted.status} ${STATUS_CODES[formatted.status] ?? ''}\r\n`;
    for (const [name, value] of Object.entries(headers)) head += `${name}: ${value}\r\n`;
    socket.write(`${head}\r\n${body}`);
    // The request's own outcome (its access line, its usage record) is this 408, not a client abort.
    if (slots._httpMessage instanceof ServerResponse) clientTimeoutAnswers.note(slots._httpMessage, timeout);
  }
  socket.destroy(error);
}

/**
 * Whether the 408 may be written: not after an answer that has begun. Node keeps a request's
 * response on the socket from the request's headers until it is finished, so a request whose body
 * is arriving with no response there was answered already (refused before its body was read).
 */
function mayAnswer(response: unknown, request: IncomingMessage | undefined): boolean {
  if (typeof response !== 'object' || response === null) return request === undefined;
  return !('headersSent' in response) || response.headersSent !== true;
}

/** The parser's last request, when its headers are in and its body is not (yet). */
function bodyArriving(incoming: unknown): IncomingMessage | undefined {
  if (typeof incoming !== 'object' || incoming === null || !('complete' in incoming) || !('url' in incoming)) return undefined;
  const request = incoming as IncomingMessage;
  return request.complete ? undefined : request;
}

/** Fastify's default answer to other client errors (a header too large, a request Node cannot parse), unchanged. */
function answerAsFastify(socket: Socket, error: ConnectionError, log: FastifyBaseLogger): void {
  const [status, message, label] = error.code === 'HPE_HEADER_OVERFLOW' ? [431, 'Exceeded maximum allowed HTTP header size', 'header_overflow'] : [400, 'Client Error', 'error'];
  const statusText = STATUS_CODES[status] ?? '';
  const body = `{"error":"${statusText}","message":"${message}","statusCode":${status}}`;
  log.trace({ err: error }, `client ${label}`);
  if (socket.writable) socket.write(`HTTP/1.1 ${status} ${statusText}\r\nContent-Length: ${body.length}\r\nContent-Type: application/json\r\n\r\n${body}`);
  socket.destroy(error);
}
