import type { GatewayServices } from '../../server/gateway-services.ts';
import type { OllamaModelDirectory } from './ollama-model-directory.ts';
import type { OllamaRunningModels } from './ollama-running-models.ts';

/** What every Ollama route handler shares within one gateway. */
export interface OllamaRouteContext {
  services: GatewayServices;
  directory: OllamaModelDirectory;
  running: OllamaRunningModels;
  /** Epoch ms when the routes were registered: `modified_at` of models the provider gives no date. */
  startedAt: number;
}
