/** What `llmux init` learnt from the providers it could ask. */
export interface DiscoveredSetup {
  /** Aliases for models that exist, with a note on where they came from. */
  aliases: { name: string; target: string; note: string }[];
  defaultModel?: string;
  /** Where a provider was asked, when the environment moved it (`CEREBRAS_BASE_URL`, `POE_BASE_URL`). */
  baseUrls: Record<string, string>;
}

/**
 * The commented `llmux.yaml` that `llmux init` writes. It loads as it is: a provider whose key
 * variable is unset is skipped with a warning, so it works with whichever keys the user has. It
 * names no upstream model id (ids are retired); with `discovered`, it adds aliases for the models
 * the providers listed.
 */
export function sampleGatewayConfig(discovered?: DiscoveredSetup): string {
  let text = TEMPLATE.replace('${ALIASES}', (discovered?.aliases ?? []).map((alias) => `  - name: ${alias.name}\n    target: ${alias.target}  # ${alias.note}\n`).join(''));
  text = text.replace('${DEFAULT_MODEL}', discovered?.defaultModel === undefined ? '# default_model: fast' : `default_model: ${discovered.defaultModel}`);
  for (const [id, url] of Object.entries(discovered?.baseUrls ?? {})) {
    const keyLine = new RegExp(`(  - id: ${id}\\n(?:    .*\\n)*?    api_key: [^\\n]*\\n)`);
    text = text.replace(keyLine, `$1    base_url: ${url}  # where llmux init found the models\n`);
  }
  return text;
}

const TEMPLATE = `# llmux.yaml — one endpoint for OpenAI, Ollama and Anthropic clients, served by upstream providers.
#
# Where llmux reads its config: --config FILE, else $LLMUX_CONFIG, else ./llmux.yaml (this file),
# else the environment alone (CEREBRAS_API_KEY=… npm start works with no file at all).
# Check this file with:  npx llmux check      List the models it routes:  npx llmux models
#
# \${VAR} is replaced by the environment variable VAR, \${VAR:-text} uses "text" when VAR is unset,
# and $\${VAR} is a literal \${VAR}. Keep secrets in the environment, not in this file.
# A provider whose API-key variable is unset is skipped with a warning; any other unset
# variable is an error.
# While this file is in use, the variables of env-only mode (POE_API_KEY, SYSTEM_TOKEN,
# CEREBRAS_BASE_URL, MODEL_MAPPING, CAI_MODEL, PROXY_*, …) are read only where this file names
# them as \${VAR}; those set anyway are listed in one warning at start. CUSTOM_TOKEN and
# LLMUX_API_KEYS are added to keys: below, so a client key you set always applies.

# Where llmux listens. 11434 is Ollama's port, so Ollama clients find llmux with no setup.
# The PORT and HOST variables and the --port / --host flags override this (OLLAMA_HOST, which
# sets the address when there is no listen: here, is then not read).
# A listen address other than loopback needs client keys (keys: below) or allow_open: true.
listen:
  host: 127.0.0.1
  port: 11434

# Upstream providers. Each has an id (used in targets as "<id>/<model>") and a type:
#   openai-compatible | cerebras | poe | anthropic | gemini | ollama
# cerebras, poe, anthropic, gemini and ollama have their real default base_url (openai-compatible needs one); each
# provider's own model list (its /models) is discovered, cached, and routable by name.
providers:
  - id: cerebras
    type: cerebras
    api_key: \${CEREBRAS_API_KEY}          # keys at cloud.cerebras.ai
    # base_url: https://api.cerebras.ai/v1 # optional: the type's default
    # timeout:                             # optional, milliseconds
    #   connect_ms: 10000                  #   to open the connection
    #   first_byte_ms: 60000               #   until the first byte of the answer
    #   idle_ms: 60000                     #   longest silence inside a streamed answer
    # default_max_tokens: 8192             # output limit sent when a client sets none; Cerebras
    #                                      # reserves it (else the model's whole maximum) against
    #                                      # the key's tokens per minute. Default 8192 for cerebras.
    # max_tokens_cap: 32768                # a larger client limit is cut to this (declared)

  - id: poe
    type: poe
    api_key: \${POE_API_KEY}               # keys at poe.com/api/keys
    protocol: openai                       # openai: api.poe.com/v1 (default)
                                           # bot: api.poe.com/bot/<BOT>, the fastapi_poe protocol
    # proxy: socks5://user:pass@127.0.0.1:1080   # optional: http://, https:// or socks5://
    # upload_url: https://www.quora.com/poe_api/file_upload_3RD_PARTY_POST  # bot protocol: attachments
    #                                      (default: Poe's, or the same path on base_url's origin)

  # The Anthropic API, or any server that speaks it (Ollama >= 0.14, LM Studio, llama.cpp, …):
  # - id: anthropic
  #   type: anthropic
  #   api_key: \${ANTHROPIC_API_KEY}       # sent as x-api-key
  #   # base_url: https://api.anthropic.com
  #   # anthropic_version: "2023-06-01"    # the anthropic-version header
  #   # betas: [context-1m-2025-08-07]     # anthropic-beta flags on every request (clients add theirs)

  # Google's Gemini API (keys at aistudio.google.com; GEMINI_API_KEY or GOOGLE_API_KEY):
  # - id: gemini
  #   type: gemini
  #   api_key: \${GEMINI_API_KEY}
  #   # api_version: v1beta                # the default; v1 or v1alpha

  # A real Ollama server. Its default address, http://127.0.0.1:11434, is also llmux's own port:
  # move llmux (listen.port above, PORT or --port) or the Ollama (base_url), or it is skipped.
  # OLLAMA_BASE_URL sets it from the environment (OLLAMA_HOST is where an Ollama listens).
  # - id: local
  #   type: ollama
  #   base_url: http://127.0.0.1:11435
  #   # api_key: \${OLLAMA_API_KEY}         # only for Ollama's cloud, https://ollama.com

  # Any OpenAI-compatible server (OpenAI, vLLM, LM Studio, llama.cpp, OpenRouter, …):
  # - id: openai
  #   type: openai-compatible
  #   base_url: https://api.openai.com/v1
  #   api_keys: [\${OPENAI_KEY_1}, \${OPENAI_KEY_2}]   # several keys are balanced in turn
  #   headers: { X-Title: llmux }                      # extra headers on every upstream request
  #   pass_through_fields: [chat_template_kwargs]      # client fields sent as they are
  #   models: [gpt-4o-mini]                            # listed even if the server lists none

# The model names clients see. Every model a provider lists is routable by its own name
# (e.g. gpt-oss-120b) and as "<provider>/<model>" with no entry here. \`llmux init\` run with
# CEREBRAS_API_KEY or POE_API_KEY set asks those providers for their models and writes aliases
# here for models that exist. A name routes to one target, or to several tried in order
# (fallback on rate limits, timeouts and upstream failures, before any output was sent).
models:
\${ALIASES}  # One "*" in a name matches any text, and a "*" in its targets repeats it; such patterns are
  # tried after every exact name, and resolve through the providers' own model lists
  # (here: "cerebras-gpt-oss-120b" is Cerebras's gpt-oss-120b, "poe-GPT-4o" the Poe bot GPT-4o).
  - name: "cerebras-*"
    target: cerebras/*
  - name: "poe-*"
    target: poe/*
  # An alias of your own, with fallbacks:
  # - name: smart
  #   targets: [poe/<bot>, cerebras/<model>]
  #   context_length: 128000               # optional, shown in /api/show and /v1/models
  #   capabilities: [tools, vision]        # optional: completion, tools, vision, embedding,
  #                                        # thinking, insert, image
  # Claude Code on other models: it asks for Claude model names, a main one and a small/fast one.
  #   ANTHROPIC_BASE_URL=http://127.0.0.1:11434 ANTHROPIC_AUTH_TOKEN=<a client key> claude
  # - name: "claude-haiku-*"               # the small/fast model (titles, quota probes)
  #   target: cerebras/<a fast model>
  # - name: "claude-*"                     # the main model
  #   targets: [cerebras/<a strong model>, poe/<a Claude bot>]

# Optional: unknown model names route here instead of a 404 (a name above or "<provider>/<model>").
\${DEFAULT_MODEL}

# Client keys. With none, access is open, which llmux only allows on a loopback listen.
# Clients send a key as "Authorization: Bearer <key>" or "x-api-key: <key>".
# The CUSTOM_TOKEN and LLMUX_API_KEYS (comma list) variables add keys when there is no file.
keys: []
#  - key: \${LLMUX_KEY_ALICE}
#    name: alice                           # shown in logs and usage
#    models: [fast, "cerebras-*"]        # optional allow-list
#    rpm: 60                               # optional: requests per minute
#    tpm: 100000                           # optional: tokens per minute (aborted streams count what they streamed)
#    budget: 25/month                      # optional: US dollars per day or month (UTC)
# Keys can also be stored in llmux's database: llmux keys create --name bob [--budget 5/day].

# Browser origins allowed to call llmux, besides Ollama's defaults (localhost, app://, …).
# OLLAMA_ORIGINS adds more, as it does for Ollama.
cors:
  origins: ["http://localhost:*", "app://*"]

# Largest request body accepted, in bytes (images inside requests count).
body_limit: 33554432

# How long a client may take to send its headers, and its whole request with the body; a slow or
# stalled client is cut off (408) and its connection freed. Answers, long streams included, are
# not limited by these.
client_timeout:
  headers_ms: 10000
  request_ms: 60000

# On Ctrl-C / SIGTERM, how long in-flight requests and streams may take to finish.
drain_timeout_ms: 10000

# The version /api/version reports; Ollama clients want 0.6.4 or newer.
ollama_version: 0.12.6

# Allow a non-loopback listen with no client keys (anyone who reaches the port uses your
# providers). The --allow-open flag does the same.
allow_open: false

# fatal | error | warn | info | debug | trace | silent (LLMUX_LOG_LEVEL overrides).
# Lines are readable on a terminal and JSON otherwise; LLMUX_LOG_FORMAT=json|pretty chooses.
log_level: info

# Key for /metrics, /admin/keys and /admin/usage (LLMUX_ADMIN_KEY sets it too). Without it they
# answer only on this machine, and only while no client key is configured.
admin_key:                                 # e.g. \${LLMUX_ADMIN_KEY}

# A spending cap for all keys together, in US dollars per day or month (UTC); over it, model
# calls get a 429. A warning is logged at 80 %.
budget:                                    # e.g. 100/month

# Prices in US dollars per million tokens, by "<provider>/<model>" or model id. They override
# what a provider publishes in its model list and llmux's built-in table of known models.
prices: {}
#  cerebras/gpt-oss-120b: { input: 0.35, output: 0.75 }
#  my-model: { input: 3, cached_input: 0.3, cache_write: 3.75, cache_write_1h: 6, output: 15, reasoning: 15 }

# Where llmux keeps stored keys, usage records and stored responses (SQLite, created on first start).
state:
  sqlite: ./data/llmux.db
  usage: true                              # record usage (and enforce budgets)

# The Responses API's stored responses (store: true): how long previous_response_id can continue one.
responses:
  retention: 30d                           # e.g. 12h, 2w

# Prometheus metrics at /metrics.
metrics: true
`;

export const SAMPLE_GATEWAY_CONFIG = sampleGatewayConfig();
