import { GatewayError } from '../../canonical/gateway-error.ts';
import { mapTransportError } from './map-transport-error.ts';
import type { UpstreamResponse } from './upstream-http-client.ts';

const SHOWN_BODY_CHARS = 200;

/**
 * A whole body as text; a failure while reading it is a transport error naming the host. Not
 * async, like readUpstreamJson: one promise step on every whole answer rather than three.
 */
export function readUpstreamText(response: UpstreamResponse, url: string): Promise<string> {
  return bodyText(response).then(undefined, (error: unknown) => {
    throw mapTransportError(error, url);
  });
}

/** A 2xx body as JSON; a body that is not JSON is the upstream's fault, shown in part. */
export function readUpstreamJson(response: UpstreamResponse, url: string): Promise<unknown> {
  return bodyText(response).then(
    (text) => parseUpstreamJson(text, response.status),
    (error: unknown) => {
      throw mapTransportError(error, url);
    },
  );
}

/** The body's text, with a read that fails at once (before any promise) as a rejection too. */
function bodyText(response: UpstreamResponse): Promise<string> {
  try {
    return response.body.text();
  } catch (error) {
    return Promise.reject(error as Error);
  }
}

function parseUpstreamJson(text: string, status: number): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    const shown = text.length > SHOWN_BODY_CHARS ? text.slice(0, SHOWN_BODY_CHARS) + '…' : text;
    throw new GatewayError('upstream', `the upstream answered HTTP ${status} with a body that is not JSON: ${shown}`, { upstreamStatus: status });
  }
}
