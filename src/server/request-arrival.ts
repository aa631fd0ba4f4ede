import type { IncomingMessage, Server } from 'node:http';
import type { Socket } from 'node:net';

const ARRIVED = Symbol('llmux.arrivedAt');
const MESSAGE_BEGAN = Symbol('llmux.messageBeganAt');

interface StampedMessage extends IncomingMessage {
  [ARRIVED]?: number;
}

interface StampedSocket extends Socket {
  [MESSAGE_BEGAN]?: number;
}

/**
 * Node's HTTP parser calls the function at this index of its parser object when it reads the first
 * byte of a message (`HTTPParser.kOnMessageBegin`; a server's parser leaves it empty). Internal to
 * Node, so it is used only where it looks as expected, and the `request` event is the fallback.
 */
const ON_MESSAGE_BEGIN = 0;

interface HttpParserSlots {
  [ON_MESSAGE_BEGIN]?: unknown;
  execute?: unknown;
}

/**
 * When each request reached llmux, for `x-llmux-overhead-ms` and the outcome's times: when Node's
 * HTTP parser read the request's first byte (so header parsing, routing, body reading and every
 * hook are inside), stamped on the connection by a parser callback and taken by the first
 * listener of the server's `request` event. Where that callback cannot be set (another Node
 * version), the `request` event itself is the arrival (Node has just parsed the headers). What
 * no clock in the process sees stays out: the time the bytes waited in the kernel before the
 * event loop read them. Requests that never pass through the server (`inject` in tests) are
 * stamped when first asked.
 */
export const requestArrival = {
  /** Stamps each connection's message starts, and puts the request listener in front of the server's own. */
  watch(server: Server): void {
    const stampMessageStarts = (socket: StampedSocket): void => {
      const parser = (socket as Socket & { parser?: HttpParserSlots | null }).parser;
      if (parser === undefined || parser === null || typeof parser.execute !== 'function') return;
      if (parser[ON_MESSAGE_BEGIN] !== null && parser[ON_MESSAGE_BEGIN] !== undefined) return;
      parser[ON_MESSAGE_BEGIN] = (): void => {
        socket[MESSAGE_BEGAN] = performance.now();
      };
    };
    // Node's own connection listener (added in the server's constructor) has made the parser by now;
    // over TLS it makes it on `secureConnection`.
    server.on('connection', stampMessageStarts);
    server.on('secureConnection', stampMessageStarts);
    server.prependListener('request', (message: StampedMessage) => {
      const now = performance.now();
      const began = (message.socket as StampedSocket | null)?.[MESSAGE_BEGAN];
      message[ARRIVED] = began !== undefined && began <= now ? began : now;
    });
  },

  /** performance.now() when the request arrived. */
  of(message: IncomingMessage): number {
    const stamped = message as StampedMessage;
    return (stamped[ARRIVED] ??= performance.now());
  },
};
