import { GatewayError } from '../canonical/gateway-error.ts';

export interface TimeoutSignal {
  signal: AbortSignal;
  /** Stops the timer once the call is over. */
  clear(): void;
}

/**
 * An abort signal that fires after `milliseconds` with a GatewayError saying so ("timed out after
 * 15 s"): upstream calls aborted by it fail with that reason rather than "request canceled".
 */
export function timeoutSignal(milliseconds: number, parent?: AbortSignal): TimeoutSignal {
  const controller = new AbortController();
  const seconds = Math.round(milliseconds / 100) / 10;
  const timer = setTimeout(() => controller.abort(new GatewayError('timeout', `timed out after ${seconds} s`)), milliseconds);
  const onParentAbort = (): void => controller.abort(parent?.reason);
  parent?.addEventListener('abort', onParentAbort, { once: true });
  return {
    signal: controller.signal,
    clear: () => {
      clearTimeout(timer);
      parent?.removeEventListener('abort', onParentAbort);
    },
  };
}
