import { GatewayError } from '../../canonical/gateway-error.ts';
import { readUpstreamText } from './read-upstream-body.ts';
import { headerValue, type UpstreamResponse } from './upstream-http-client.ts';

/** A non-2xx answer as a provider's error parser gets it. */
export interface UpstreamErrorInput {
  status: number;
  headers: UpstreamResponse['headers'];
  /** The response body as text (possibly empty). */
  text: string;
  /** The provider's configured id, to say whose key an upstream 401/403 refused. */
  providerId?: string;
}

/** A provider's reading of its own error bodies. */
export type UpstreamErrorParser = (input: UpstreamErrorInput) => GatewayError;

export interface UpstreamStatusCheck {
  url: string;
  providerId: string;
  parseError: UpstreamErrorParser;
}

/**
 * Passes a 2xx answer on; anything else becomes a thrown GatewayError: a redirect names the URL
 * it points to (a base_url that is off by a path or a scheme, never followed: it would resend the
 * key elsewhere), any other status is read whole and handed to the provider's error parser.
 */
export async function checkUpstreamStatus(response: UpstreamResponse, check: UpstreamStatusCheck): Promise<UpstreamResponse> {
  if (response.status >= 200 && response.status < 300) return response;
  if (response.status >= 300 && response.status < 400) {
    await response.body.drain();
    const location = headerValue(response.headers, 'location') ?? 'elsewhere';
    throw new GatewayError('upstream', `provider '${check.providerId}' redirected ${check.url} to ${location}; check its base_url`, {
      upstreamStatus: response.status,
      retryable: false,
    });
  }
  const text = await readUpstreamText(response, check.url);
  throw check.parseError({ status: response.status, headers: response.headers, text, providerId: check.providerId });
}
