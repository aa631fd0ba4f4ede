import type { IncomingMessage, Server } from 'node:http';

const ARRIVED = Symbol('llmux.arrivedAt');

interface StampedMessage extends IncomingMessage {
  [ARRIVED]?: number;
}

/**
 * When each request reached llmux: stamped by the first listener of the server's `request` event
 * (Node has just parsed its headers), before Fastify routes it, so `x-llmux-overhead-ms` and the
 * outcome's times include routing, body reading and every hook. Requests that never pass through
 * the server (`inject` in tests) are stamped when first asked.
 */
export const requestArrival = {
  /** Puts the stamping listener in front of the server's own. */
  watch(server: Server): void {
    server.prependListener('request', (message: StampedMessage) => {
      message[ARRIVED] = performance.now();
    });
  },

  /** performance.now() when the request arrived. */
  of(message: IncomingMessage): number {
    const stamped = message as StampedMessage;
    return (stamped[ARRIVED] ??= performance.now());
  },
};
