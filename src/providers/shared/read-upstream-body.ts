import { GatewayError } from '../../canonical/gateway-error.ts';
import { mapTransportError } from './map-transport-error.ts';
import type { UpstreamResponse } from './upstream-http-client.ts';

const SHOWN_BODY_CHARS = 200;

/** A whole body as text; a failure while reading it is a transport error naming the host. */
export async function readUpstreamText(response: UpstreamResponse, url: string): Promise<string> {
  try {
    return await response.body.text();
  } catch (error) {
    throw mapTransportError(error, url);
  }
}

/** A 2xx body as JSON; a body that is not JSON is the upstream's fault, shown in part. */
export async function readUpstreamJson(response: UpstreamResponse, url: string): Promise<unknown> {
  const text = await readUpstreamText(response, url);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    const shown = text.length > SHOWN_BODY_CHARS ? text.slice(0, SHOWN_BODY_CHARS) + '…' : text;
    throw new GatewayError('upstream', `the upstream answered HTTP ${response.status} with a body that is not JSON: ${shown}`, { upstreamStatus: response.status });
  }
}
