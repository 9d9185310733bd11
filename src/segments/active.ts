import type { Advertiser } from '../config/schema.js';
import type { Store } from '../store/db.js';
import { baseSegment, type Segment } from './segments.js';

/**
 * Extra segments contributed by integrations (the Pinterest integration adds "<featured> - Pinterest"
 * once it has been enabled). Each provider answers for one advertiser.
 */
type SegmentProvider = (store: Store, adv: Advertiser) => Promise<Segment[]>;
const providers: SegmentProvider[] = [];

export function registerSegmentProvider(provider: SegmentProvider): void {
  providers.push(provider);
}

/** The advertiser's segments: the base segment first, then those of enabled integrations. */
export async function activeSegments(store: Store, adv: Advertiser): Promise<Segment[]> {
  const segments = [baseSegment(adv)];
  for (const provider of providers) segments.push(...(await provider(store, adv)));
  return segments;
}
