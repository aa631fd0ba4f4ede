import type { ServerResponse } from 'node:http';
import type { GatewayError } from '../canonical/gateway-error.ts';

/**
 * Responses whose request the client-error handler answered itself, on the socket (a body that
 * stalled past `client_timeout.request_ms`), with the 408 it sent. When the response closes
 * unfinished, its request's outcome is that 408, not a client that went away.
 */
const answered = new WeakMap<ServerResponse, GatewayError>();

export const clientTimeoutAnswers = {
  note(response: ServerResponse, timeout: GatewayError): void {
    answered.set(response, timeout);
  },
  of(response: ServerResponse): GatewayError | undefined {
    return answered.get(response);
  },
};
