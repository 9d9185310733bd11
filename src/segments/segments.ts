import type { Advertiser } from '../config/schema.js';

/** A conversion segment (SPEC §1, §5): a view of the featured conversion with a touchpoint policy. */
export interface Segment {
  /** the segment's name as users see it: "Purchase" or "Purchase - Pinterest" */
  name: string;
  kind: 'base' | 'pinterest';
  /** whether touchpoints from the Pinterest feed are in scope (restricted data, SPEC §6) */
  usesFeed: boolean;
}

export function baseSegment(adv: Advertiser): Segment {
  return { name: adv.featured_conversion.name, kind: 'base', usesFeed: false };
}

export function pinterestSegmentName(adv: Advertiser): string {
  return `${adv.featured_conversion.name} - Pinterest`;
}

export function pinterestSegment(adv: Advertiser): Segment {
  return { name: pinterestSegmentName(adv), kind: 'pinterest', usesFeed: true };
}
