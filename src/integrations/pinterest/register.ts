/**
 * Registers the Pinterest integration with the engine: feed rows become touchpoints of the persons
 * they match (evaluated at every recomputation), and the segment "<featured> - Pinterest" exists for
 * every advertiser that enabled the integration at least once (its history stays readable after a disable).
 */
import { registerFeedTouchpoints } from '../../attribution/paths.js';
import { registerSegmentProvider } from '../../segments/active.js';
import { pinterestSegment } from '../../segments/segments.js';
import { ensureFeedCombos, feedTouchpointsSql } from './feed/matching.js';
import { wasEverEnabled } from './lifecycle.js';

let registered = false;

export function registerPinterestIntegration(): void {
  if (registered) return;
  registered = true;
  registerFeedTouchpoints(feedTouchpointsSql);
  registerSegmentProvider(async (store, adv) => {
    if (!(await wasEverEnabled(store, adv.id))) return [];
    // Feed labels get tier combinations under the current pinterest.tier_1/tier_2 (a config change moves them).
    await ensureFeedCombos(store, adv);
    return [pinterestSegment(adv)];
  });
}

registerPinterestIntegration();
