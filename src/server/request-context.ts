import type { FastifyContextConfig, FastifyReply, FastifyRequest } from 'fastify';
import type { AuthenticatedClient } from '../auth/client-key-authenticator.ts';
import { degradedHeaderValue } from '../canonical/degraded-field.ts';
import { writeLogLineLater } from '../observability/deferred-log-lines.ts';
import { redactQueryString } from '../observability/redact-query-string.ts';
import type { InFlightList } from '../observability/in-flight-list.ts';
import type { OutcomeHub } from '../observability/outcome-hub.ts';
import type { ClosedSocket, RequestOutcomeRecorder } from '../observability/request-outcome-recorder.ts';
import { writeAccessLogLine } from '../observability/write-access-log-line.ts';
import type { DispatchContext } from '../routing/chat-dispatcher.ts';
import { clientTimeoutAnswers } from './client-timeout-answers.ts';
import { requestArrival } from './request-arrival.ts';
import { safeHeaderValue } from './safe-header-value.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set for every request in the onRequest hook (see attachRequestContext). */
    llmux: RequestContext;
  }
}

export interface RequestContext {
  /** performance.now() when the request arrived (its headers parsed; see requestArrival). */
  receivedAt: number;
  controller: AbortController;
  dispatch: DispatchContext;
  /** The request's outcome as it forms; finalised when the socket closes. */
  outcome: RequestOutcomeRecorder;
  /**
   * Its route's config, read once: Fastify's `request.routeOptions` builds a new object of the
   * route's options on every read.
   */
  routeConfig: FastifyContextConfig;
  client?: AuthenticatedClient;
  /** Told when a streaming response starts and ends (the open-streams gauge). */
  streams?: { streamOpened(): void; streamClosed(): void };
}

/**
 * Gives the request its context: an abort signal that fires when the client goes away before the
 * response is finished (so the upstream call is cancelled at once), the upstream-time counter,
 * and its outcome — finalised once when the socket closes, then written as the access-log line.
 * `inFlight` holds the abort controller of every request until its socket closes (for the drain deadline).
 */
export function attachRequestContext(request: FastifyRequest, reply: FastifyReply, outcomes: OutcomeHub, inFlight?: InFlightList<AbortController>): void {
  const controller = new AbortController();
  const receivedAt = requestArrival.of(request.raw);
  const route = request.routeOptions;
  const routeConfig = route.config;
  const outcome = outcomes.begin({ requestId: String(request.id), method: request.method, protocol: routeConfig.protocol ?? 'none', route: route.url ?? pathOf(request.url), arrivedAt: receivedAt });
  const context: RequestContext = {
    receivedAt,
    controller,
    outcome,
    routeConfig,
    dispatch: { signal: controller.signal, requestId: String(request.id), log: request.log, upstreamMs: 0, degraded: [], outcome },
  };
  request.llmux = context;
  const listed = inFlight?.add(controller);
  // `once`, not `on` (which would save once()'s two wrapper objects): removed when it has run, the
  // listener no longer holds the request's context from a response that may outlive the request.
  reply.raw.once('close', () => {
    if (listed !== undefined) inFlight?.remove(listed);
    const raw = reply.raw;
    let socket: ClosedSocket = { finished: raw.writableFinished, headersSent: raw.headersSent, status: raw.statusCode };
    if (!raw.writableFinished) {
      controller.abort();
      // A body that stalled past client_timeout was answered 408 by the client-error handler.
      const timeout = clientTimeoutAnswers.of(raw);
      if (timeout !== undefined) {
        outcome.noteError(timeout);
        socket = { finished: true, headersSent: true, status: timeout.status };
      }
    }
    outcome.finish(socket, (final) => {
      // Health polls (load balancers, Ollama clients' heartbeat) would drown the requests that matter.
      const quiet = (final.route === '/health' || final.route === '/') && final.status < 400;
      // Once the loop has read a request that came meanwhile (see deferred-log-lines.ts).
      writeLogLineLater(() => writeAccessLogLine(request.log, quiet ? 'debug' : 'info', String(request.id), final, request.method, redactQueryString(request.url)));
    });
  });
}

/** Where llmux's response headers go: a Fastify reply, or a plain record (see llmuxHeaders). */
interface HeaderTarget {
  header(name: string, value: string): unknown;
}

/** The llmux response headers: request id, routing, and time spent inside llmux. */
export function llmuxHeaders(request: FastifyRequest): Record<string, string> {
  const headers: Record<string, string> = {};
  setLlmuxHeaders(request, {
    header: (name, value) => {
      headers[name] = value;
    },
  });
  return headers;
}

/** Sets the llmux response headers one by one (on a reply: no record of them is built first). */
export function setLlmuxHeaders(request: FastifyRequest, out: HeaderTarget): void {
  const context = request.llmux;
  const waited = context.dispatch.upstreamMs + (context.dispatch.retryWaitMs ?? 0);
  const overhead = Math.max(0, performance.now() - context.receivedAt - waited);
  out.header('x-request-id', String(request.id));
  out.header('x-llmux-overhead-ms', overhead.toFixed(3));
  const target = context.dispatch.target;
  if (target !== undefined) {
    // Model names come from clients and upstream model lists: never written raw into a header.
    out.header('x-llmux-provider', safeHeaderValue(target.provider.id));
    out.header('x-llmux-model', safeHeaderValue(target.upstreamModel));
  }
  const degraded = context.dispatch.degraded;
  // Field names are the client's own: bounded, so a client cannot make the answer's headers too large to read.
  if (degraded.length > 0) out.header('x-llmux-degraded', safeHeaderValue(degradedHeaderValue(degraded), 2048));
}

function pathOf(url: string): string {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}
