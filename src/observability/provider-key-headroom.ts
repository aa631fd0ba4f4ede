import type { KeyHeadroom } from '../providers/shared/key-headroom.ts';

/** A provider's keys' rate-limit headroom, as its adapter reports it (`keyHeadroom()`), for /metrics. */
export interface ProviderKeyHeadroom {
  provider: string;
  keys: KeyHeadroom[];
}
