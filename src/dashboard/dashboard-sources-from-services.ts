import type { GatewayServices } from '../server/gateway-services.ts';
import { isLoopbackHost } from '../server/host-guard.ts';
import type { DashboardSources } from './dashboard-sources.ts';

/** The dashboard's sources in this build: open to this machine while no client key is configured. */
export function dashboardSourcesFromServices(services: GatewayServices): DashboardSources {
  return {
    adminKeySet: false,
    checkAccess: (request) =>
      services.auth.isOpen && isLoopbackHost(request.socket.remoteAddress ?? '') ? undefined : { status: 403, message: 'the dashboard is open only to this machine while no key is configured' },
  };
}
