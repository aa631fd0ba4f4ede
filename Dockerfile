# llmux in a container: `docker build -t llmux .` then
#   docker run -p 127.0.0.1:11434:11434 -e CEREBRAS_API_KEY=… -e LLMUX_API_KEYS=… -v llmux-data:/app/data llmux
# (or `docker compose up`, see compose.yaml). In the container llmux listens on 0.0.0.0, which
# needs client keys (LLMUX_API_KEYS, CUSTOM_TOKEN or keys: in a mounted llmux.yaml) or --allow-open.

# Build stage: dev dependencies (the TypeScript compiler) compile src/ to dist/, then are dropped.
FROM node:24-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# The node@24 dev dependency is skipped: the image has its own Node 24.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN node node_modules/typescript/bin/tsc -p tsconfig.build.json && npm prune --omit=dev --ignore-scripts --no-audit --no-fund

# Run stage: the build and production dependencies only, as the unprivileged node user.
FROM node:24-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=11434
WORKDIR /app
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --chown=node:node package.json ./
COPY --chown=node:node bin ./bin
COPY --chown=node:node scripts/ensure-built.js ./scripts/ensure-built.js
RUN mkdir -p /app/data && chown node:node /app/data
USER node
# Stored state (keys, usage records) lives here; mount a volume to keep it.
VOLUME ["/app/data"]
EXPOSE 11434
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 11434) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# A config file, if any, is mounted at /app/llmux.yaml (read as ./llmux.yaml) or named by LLMUX_CONFIG.
ENTRYPOINT ["node", "bin/llmux.js"]
CMD ["serve"]
