import { pino } from 'pino';
import type { FastifyBaseLogger } from 'fastify';

/**
 * The process logger: JSON lines on stdout (pino). Provider keys and client keys are redacted
 * wherever they appear in logged headers or configs.
 */
export function createLogger(level: string): FastifyBaseLogger {
  return pino({
    level,
    redact: {
      paths: ['*.authorization', '*.api_key', '*.api_keys', '*["x-api-key"]', 'headers.authorization', 'config.providers[*].api_key'],
      censor: '[redacted]',
    },
  });
}
