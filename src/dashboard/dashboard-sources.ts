import type { FastifyRequest } from 'fastify';
import type { LiveOutcomeView } from './live-outcome-view.ts';
import type { SeriesRecord } from './usage-series.ts';

/** A price in US dollars per million tokens, as the models view shows it. */
export interface DashboardPrice {
  input: number;
  output: number;
  cachedInput?: number;
  source: string;
}

/**
 * What the dashboard reads beyond the router and the outcome hub, from the usage and admin
 * parts of llmux: who may look, usage records, prices and costs. Each may be missing (no state
 * store): the views then say so.
 */
export interface DashboardSources {
  /** Whether an admin key is configured: the page then loads anywhere and asks for the key. */
  adminKeySet: boolean;
  /** Undefined lets the request through; otherwise the status and message to refuse it with. */
  checkAccess(request: FastifyRequest): { status: number; message: string } | undefined;
  /** Usage records since `since` (epoch ms); undefined when llmux keeps none. */
  usageRecords?(since: number): Promise<readonly SeriesRecord[]>;
  priceOf?(provider: string, model: string): DashboardPrice | undefined;
  costOf?(outcome: LiveOutcomeView): number | undefined;
}
