import type { SkippedProvider } from '../config/load-gateway-config.ts';

/** loadGatewayConfig's reason for a provider skipped over unset key variables: "A, B are not set". */
const UNSET_VARIABLES = /^(.+) (?:is|are) not set$/;

/**
 * The key variables whose absence made loadGatewayConfig skip a provider ("A, B"), or undefined
 * when it was skipped for anything else (a mistake to fix rather than a key the user lacks).
 */
export function unsetKeyVariables(skipped: SkippedProvider): string | undefined {
  return UNSET_VARIABLES.exec(skipped.reason)?.[1];
}
