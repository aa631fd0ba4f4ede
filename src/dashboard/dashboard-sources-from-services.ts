import { checkAdminAccess } from '../admin/admin-access.ts';
import type { GatewayServices } from '../server/gateway-services.ts';
import { computeCost } from '../usage/compute-cost.ts';
import type { DashboardPrice, DashboardSources } from './dashboard-sources.ts';

/** How many usage records the overview reads at most for one chart range. */
const RECORDS_READ = 100_000;

/**
 * The dashboard reads what the admin API reads: the admin key guards it, the usage records
 * feed its charts, the price table prices the models view and the live feed.
 */
export function dashboardSourcesFromServices(services: GatewayServices): DashboardSources {
  const sources: DashboardSources = {
    adminKeySet: services.config.admin_key != null,
    checkAccess: (request) => checkAdminAccess(request, services),
    priceOf: (provider, model) => {
      const found = services.prices.priceOf(provider, model);
      if (found === undefined) return undefined;
      const price: DashboardPrice = { input: found.price.input, output: found.price.output, source: found.source };
      if (found.price.cachedInput !== undefined) price.cachedInput = found.price.cachedInput;
      return price;
    },
    costOf: (outcome) => {
      if (outcome.usage === undefined || outcome.provider === undefined || outcome.upstreamModel === undefined) return undefined;
      const found = services.prices.priceOf(outcome.provider, outcome.upstreamModel);
      return found === undefined ? undefined : computeCost(outcome.usage, found.price);
    },
  };
  const state = services.state;
  if (state !== undefined && services.config.state.usage) {
    sources.usageRecords = async (since) => {
      // Records still queued are written first, so the charts include every finished request.
      await services.usage?.flush();
      return state.usage.recent(RECORDS_READ, since);
    };
  }
  return sources;
}
