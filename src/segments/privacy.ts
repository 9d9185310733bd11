import type { Advertiser } from '../config/schema.js';
import { RefusedError } from '../errors.js';
import { baseSegment, pinterestSegmentName } from './segments.js';

/** Datasets made of restricted data (SPEC §6): never exported, whatever the segment. */
export const RESTRICTED_DATASETS = ['pinterest_feed', 'feed', 'feed_rows', 'feed_touchpoints', 'pinterest_touchpoints'] as const;

export const NOT_SHARED_MESSAGE = 'is not available as a shared warehousing dataset: Pinterest data leaves touchline only aggregated ' +
  '(the Buckets Breakdown and the daily report to Pinterest)';

/**
 * Decides whether a warehouse export may run; refuses (before anything is written) exports of the
 * Pinterest segment and of feed rows or feed touchpoints.
 */
export function assertExportAllowed(adv: Advertiser, dataset: string, segment: string): void {
  if ((RESTRICTED_DATASETS as readonly string[]).includes(dataset)) {
    throw new RefusedError(`dataset "${dataset}" holds Pinterest feed data, which ${NOT_SHARED_MESSAGE}`);
  }
  if (segment === pinterestSegmentName(adv) || /pinterest/i.test(segment) && segment !== baseSegment(adv).name) {
    throw new RefusedError(`the segment "${segment}" ${NOT_SHARED_MESSAGE}`);
  }
  if (segment !== baseSegment(adv).name) {
    throw new RefusedError(`unknown segment "${segment}"; the warehouse export covers the base segment "${baseSegment(adv).name}"`);
  }
}
