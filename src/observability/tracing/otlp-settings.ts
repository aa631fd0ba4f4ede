/** Where and how spans are exported, from the standard OTEL_* variables. */
export interface OtlpSettings {
  /** The full traces URL (`…/v1/traces`). */
  tracesUrl: string;
  headers: Record<string, string>;
  serviceName: string;
}

/**
 * `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` (used as is) or `OTEL_EXPORTER_OTLP_ENDPOINT` (+ `/v1/traces`),
 * `OTEL_EXPORTER_OTLP_HEADERS` / `OTEL_EXPORTER_OTLP_TRACES_HEADERS` (`k=v,k2=v2`, URL-encoded values),
 * `OTEL_SERVICE_NAME`. Undefined when no endpoint is set (tracing off) or `OTEL_SDK_DISABLED=true`.
 * Problems (an unusable URL, a protocol llmux does not speak) are returned for the caller to warn about.
 */
export function otlpSettingsFromEnvironment(environment: Record<string, string | undefined>): { settings?: OtlpSettings; problems: string[] } {
  const problems: string[] = [];
  if (environment.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return { problems };
  const traces = environment.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim();
  const base = environment.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  if (!traces && !base) return { problems };
  const tracesUrl = traces || `${(base ?? '').replace(/\/+$/, '')}/v1/traces`;
  try {
    const url = new URL(tracesUrl);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http');
  } catch {
    problems.push(`OTEL_EXPORTER_OTLP_ENDPOINT: '${tracesUrl}' is not an http:// or https:// URL; tracing is off`);
    return { problems };
  }
  const protocol = (environment.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? environment.OTEL_EXPORTER_OTLP_PROTOCOL)?.trim();
  if (protocol && protocol !== 'http/json') problems.push(`OTEL_EXPORTER_OTLP_PROTOCOL=${protocol}: llmux exports traces as OTLP/HTTP JSON (http/json), which OTLP/HTTP receivers accept`);
  const headers: Record<string, string> = {};
  for (const list of [environment.OTEL_EXPORTER_OTLP_HEADERS, environment.OTEL_EXPORTER_OTLP_TRACES_HEADERS]) {
    for (const pair of (list ?? '').split(',')) {
      const at = pair.indexOf('=');
      if (at <= 0) continue;
      headers[decodeURIComponent(pair.slice(0, at).trim())] = decodeURIComponent(pair.slice(at + 1).trim());
    }
  }
  return { settings: { tracesUrl, headers, serviceName: environment.OTEL_SERVICE_NAME?.trim() || 'llmux' }, problems };
}
