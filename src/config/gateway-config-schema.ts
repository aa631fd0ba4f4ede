import { z } from 'zod';
import { DURATION_PATTERN, parseDuration } from './parse-duration.ts';

/** The provider types llmux knows; each has a folder under src/providers/. */
export const PROVIDER_TYPES = ['openai-compatible', 'cerebras', 'poe', 'anthropic', 'gemini', 'ollama'] as const;
export type ProviderType = (typeof PROVIDER_TYPES)[number];

/** An upstream address: only http:// and https:// are spoken. */
const httpUrl = z.url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' });

const timeoutSchema = z
  .object({
    connect_ms: z.number().int().positive().optional(),
    first_byte_ms: z.number().int().positive().optional(),
    idle_ms: z.number().int().positive().optional(),
  })
  .strict();

export const providerConfigSchema = z
  .object({
    /** The name used in targets (`<id>/<model>`). */
    id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'use letters, digits, ".", "_" or "-"'),
    type: z.enum(PROVIDER_TYPES),
    api_key: z.string().optional(),
    /** Several keys, balanced round-robin. */
    api_keys: z.array(z.string()).optional(),
    base_url: httpUrl.optional(),
    proxy: z
      .string()
      .regex(/^(https?|socks5h?):\/\//, 'expected an http://, https:// or socks5:// URL')
      .optional(),
    timeout: timeoutSchema.optional(),
    /** Extra headers sent with every upstream request. */
    headers: z.record(z.string(), z.string()).optional(),
    /** Client body fields with no canonical home that are sent to this upstream as they are (vLLM `chat_template_kwargs`, …). */
    pass_through_fields: z.array(z.string().min(1)).optional(),
    /** Anthropic: the `anthropic-version` header (default 2023-06-01). */
    anthropic_version: z.string().min(1).optional(),
    /** Anthropic: `anthropic-beta` flags sent with every request, besides those a client sends. */
    betas: z.array(z.string().min(1)).optional(),
    /** Poe: `openai` (its OpenAI-compatible API, default) or `bot` (the fastapi_poe bot protocol). */
    protocol: z.enum(['openai', 'bot']).optional(),
    /** Poe bot protocol: where attachments are uploaded. */
    upload_url: httpUrl.optional(),
    /** Where the provider's model list is read when it is not `<base_url>/models` (Poe bot protocol: `<origin>/v1/models`). */
    models_url: httpUrl.optional(),
    /** Gemini: the API version in the path (`v1beta`, the default, or `v1`, `v1alpha`). */
    api_version: z
      .string()
      .regex(/^v\d+(alpha|beta)?\d*$/, "expected an API version such as 'v1beta' or 'v1'")
      .optional(),
    /** Models to list when the upstream has no model list of its own (or to add to it). */
    models: z.array(z.string()).optional(),
    /** Output tokens asked for when the client sets none (Cerebras: 8192 unless set). */
    default_max_tokens: z.number().int().positive().optional(),
    /** Largest output limit sent; a client asking for more is capped (declared). */
    max_tokens_cap: z.number().int().positive().optional(),
  })
  .strict();

export type ProviderConfig = z.infer<typeof providerConfigSchema>;

export const MODEL_CAPABILITIES = ['completion', 'tools', 'vision', 'embedding', 'thinking', 'insert', 'image'] as const;

/** `<provider>/<model>`, or a bare model name: whichever provider lists it (else the first provider). */
const targetSchema = z.string().regex(/^(?:[^/\s]+\/\S.*|[^/\s]+)$/, "expected '<provider>/<model>' or a model name");

export const modelAliasSchema = z
  .object({
    /** The name clients use; one `*` matches any text, which a `*` in the targets repeats. */
    name: z
      .string()
      .min(1)
      .refine((name) => name.split('*').length <= 2, "use at most one '*'"),
    target: targetSchema.optional(),
    targets: z.array(targetSchema).min(1).optional(),
    context_length: z.number().int().positive().optional(),
    capabilities: z.array(z.enum(MODEL_CAPABILITIES)).optional(),
  })
  .strict()
  .refine((alias) => (alias.target === undefined) !== (alias.targets === undefined), {
    message: "give either 'target' or 'targets'",
  });

export type ModelAliasConfig = z.infer<typeof modelAliasSchema>;

/** `25/month`, `5/day`: US dollars per UTC calendar period. */
export const budgetSchema = z
  .string()
  .regex(/^\$?\d+(\.\d+)?\s*\/\s*(day|month)$/, "expected '<dollars>/day' or '<dollars>/month', like 25/month");

export const clientKeySchema = z
  .object({
    key: z.string().min(1),
    name: z.string().optional(),
    models: z.array(z.string()).optional(),
    rpm: z.number().int().positive().optional(),
    tpm: z.number().int().positive().optional(),
    budget: budgetSchema.optional(),
  })
  .strict();

export type ClientKeyConfig = z.infer<typeof clientKeySchema>;

/** US dollars per million tokens. */
export const modelPriceSchema = z
  .object({
    input: z.number().nonnegative(),
    cached_input: z.number().nonnegative().optional(),
    cache_write: z.number().nonnegative().optional(),
    cache_write_1h: z.number().nonnegative().optional(),
    output: z.number().nonnegative(),
    reasoning: z.number().nonnegative().optional(),
  })
  .strict();

export type ModelPriceConfig = z.infer<typeof modelPriceSchema>;

export const gatewayConfigSchema = z
  .object({
    listen: z
      .object({
        host: z.string().default('127.0.0.1'),
        port: z.number().int().min(0).max(65535).default(11434),
      })
      .strict()
      .default({ host: '127.0.0.1', port: 11434 }),
    providers: z.array(providerConfigSchema).default([]),
    models: z.array(modelAliasSchema).default([]),
    default_model: z.string().optional(),
    keys: z.array(clientKeySchema).default([]),
    cors: z
      .object({ origins: z.array(z.string()).default([]) })
      .strict()
      .default({ origins: [] }),
    /** Largest request body accepted, in bytes. */
    body_limit: z.number().int().positive().default(32 * 1024 * 1024),
    /**
     * How long a client may take to send its request: the headers, and the whole request with its
     * body. A slow or stalled client is cut off (408) and its socket freed; once a request has
     * arrived, its answer (a long stream included) is not limited by these.
     */
    client_timeout: z
      .object({
        headers_ms: z.number().int().positive().default(10_000),
        request_ms: z.number().int().positive().default(60_000),
      })
      .strict()
      .default({ headers_ms: 10_000, request_ms: 60_000 }),
    /** How long shutdown waits for in-flight requests and streams. */
    drain_timeout_ms: z.number().int().nonnegative().default(10_000),
    /** The version `/api/version` reports; must be a numeric semver ≥ 0.6.4 for Ollama clients. */
    ollama_version: z
      .string()
      .regex(/^\d+\.\d+\.\d+$/, 'expected a version like 0.12.6')
      // VS Code Copilot and Raycast refuse servers older than 0.6.4 (aweussom/NoLlama#9, intel/ipex-llm#13201).
      .refine((version) => atLeast(version, [0, 6, 4]), 'Ollama clients need 0.6.4 or newer')
      .default('0.12.6'),
    /** Allow a non-loopback listen with no client keys. */
    allow_open: z.boolean().default(false),
    log_level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** Key for /metrics and /admin/*; LLMUX_ADMIN_KEY sets it too. */
    admin_key: z.string().min(1).nullish(),
    /** A spending cap for all keys together. */
    budget: budgetSchema.nullish(),
    /** Prices per `<provider>/<model>` or upstream model id, overriding the built-in and provider-published ones. */
    prices: z.record(z.string(), modelPriceSchema).default({}),
    state: z
      .object({
        /** The embedded database file; relative paths are from the working directory. */
        sqlite: z.string().min(1).default('./data/llmux.db'),
        /** Write usage records (and enforce budgets). */
        usage: z.boolean().default(true),
      })
      .strict()
      .default({ sqlite: './data/llmux.db', usage: true }),
    /** The Responses API's stored responses (`store: true`). */
    responses: z
      .object({
        /** How long a stored response is kept (and `previous_response_id` can continue it): `30d`, `12h`, `2w`. */
        retention: z.string().regex(DURATION_PATTERN, "expected a number and a unit (m, h, d or w), like '30d'").refine((text) => (parseDuration(text) ?? 0) >= 60_000, 'at least 1m').default('30d'),
      })
      .strict()
      .default({ retention: '30d' }),
    /** Prometheus metrics at /metrics. */
    metrics: z.boolean().default(true),
  })
  .strict();

function atLeast(version: string, minimum: readonly [number, number, number]): boolean {
  const parts = version.split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    const part = parts[i] ?? 0;
    if (part !== minimum[i]) return part > (minimum[i] ?? 0);
  }
  return true;
}

export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;
export type GatewayConfigInput = z.input<typeof gatewayConfigSchema>;
