import { createUpstreamHttpClient, type UpstreamHttpClient, type UpstreamHttpClientOptions } from '../src/providers/shared/upstream-http-client.ts';

/** Runs `use` with an upstream HTTP client made with `options` (and no proxy environment), closing the client after. */
export async function withUpstreamClient<T>(options: UpstreamHttpClientOptions, use: (client: UpstreamHttpClient) => Promise<T>): Promise<T> {
  const client = createUpstreamHttpClient({ environment: {}, ...options });
  try {
    return await use(client);
  } finally {
    await client.close();
  }
}
