/** The Pinterest log-level feed's columns and action types (SPEC §2.3). */

export const FEED_COLUMNS = [
  'event_time', 'action_type', 'event_id', 'external_id', 'hashed_email', 'click_id',
  'campaign_id', 'campaign_name', 'ad_group_id', 'ad_group_name', 'ad_id', 'ad_name', 'pin_id', 'ad_account_id',
] as const;
export type FeedColumn = (typeof FEED_COLUMNS)[number];

/** Columns a CSV header must have (JSON Lines rows missing them are rejected one by one). */
export const REQUIRED_COLUMNS: readonly FeedColumn[] = ['event_time', 'action_type', 'campaign_id', 'ad_group_id', 'ad_id'];

/** The four match keys, in the order they decide when they point to different persons. */
export const MATCH_KEYS: readonly FeedColumn[] = ['event_id', 'external_id', 'hashed_email', 'click_id'];

/** action_type values (lower-cased) → touchpoint kind. */
export const ACTION_TYPES: Readonly<Record<string, 'view' | 'engagement' | 'click'>> = {
  view: 'view',
  impression: 'view',
  engagement: 'engagement',
  closeup: 'engagement',
  save: 'engagement',
  repin: 'engagement',
  carousel_swipe: 'engagement',
  click: 'click',
  outbound_click: 'click',
  pin_click: 'click',
};
