/** Tables of the Pinterest integration (tag verification, lifecycle, feed, deliveries). */
export const pinterestSchema: string[] = [
  // One row per tag verification run (SPEC §9); pages holds the per-page results as JSON.
  `CREATE TABLE IF NOT EXISTS pinterest_tag_verifications (
     advertiser VARCHAR NOT NULL,
     verified_at TIMESTAMPTZ NOT NULL,
     expected_tag_id VARCHAR,
     passed BOOLEAN NOT NULL,
     pages JSON NOT NULL
   )`,
];

pinterestSchema.push(
  // Lifecycle (SPEC §8): one row per activation period. The integration is enabled while the
  // advertiser's latest row has no deactivated_at; earlier rows are the history.
  `CREATE TABLE IF NOT EXISTS pinterest_activations (
     advertiser VARCHAR NOT NULL,
     activation INTEGER NOT NULL,
     tag_id VARCHAR NOT NULL,
     consent_by VARCHAR NOT NULL,
     consent_at TIMESTAMPTZ NOT NULL,
     activated_at TIMESTAMPTZ NOT NULL,
     first_feed_date DATE NOT NULL,
     deactivated_at TIMESTAMPTZ,
     deactivated_by VARCHAR
   )`,
  // Audit log of every lifecycle action: who, when, what, details.
  `CREATE TABLE IF NOT EXISTS pinterest_audit_log (
     advertiser VARCHAR NOT NULL,
     "at" TIMESTAMPTZ NOT NULL,
     actor VARCHAR NOT NULL,
     action VARCHAR NOT NULL,
     details JSON NOT NULL
   )`,
  // One row per feed date in force (SPEC §2.3): a new file for the date replaces it.
  `CREATE TABLE IF NOT EXISTS pinterest_feeds (
     advertiser VARCHAR NOT NULL,
     date DATE NOT NULL,
     file VARCHAR NOT NULL,
     format VARCHAR NOT NULL,
     rows BIGINT NOT NULL,
     accepted BIGINT NOT NULL,
     rejected BIGINT NOT NULL,
     rejects_path VARCHAR,
     received_at TIMESTAMPTZ NOT NULL
   )`,
  // The ads of the feed (campaign / ad group / ad with their names, pin and ad account), one row per
  // distinct combination: feed rows refer to it by ad_key. Tiers 3-5 = name, else id.
  `CREATE TABLE IF NOT EXISTS pinterest_feed_ads (
     advertiser VARCHAR NOT NULL,
     ad_key INTEGER NOT NULL,
     campaign_id VARCHAR NOT NULL, campaign_name VARCHAR,
     ad_group_id VARCHAR NOT NULL, ad_group_name VARCHAR,
     ad_id VARCHAR NOT NULL, ad_name VARCHAR,
     pin_id VARCHAR, ad_account_id VARCHAR
   )`,
  // Feed rows (restricted data, SPEC §6). row_id is the stable feed row id (the touchpoint's seq).
  `CREATE TABLE IF NOT EXISTS pinterest_feed_rows (
     advertiser VARCHAR NOT NULL,
     date DATE NOT NULL,
     row_id BIGINT NOT NULL,
     line_no BIGINT NOT NULL,
     ts TIMESTAMPTZ NOT NULL,
     kind TINYINT NOT NULL,
     event_id VARCHAR, external_id VARCHAR, hashed_email VARCHAR, click_id VARCHAR,
     ad_key INTEGER NOT NULL
   )`,
  // Daily report deliveries (SPEC §7.2): one row per send, the latest per (date, destination) in force.
  `CREATE TABLE IF NOT EXISTS pinterest_report_deliveries (
     advertiser VARCHAR NOT NULL,
     date DATE NOT NULL,
     destination VARCHAR NOT NULL,
     status VARCHAR NOT NULL,
     attempts INTEGER NOT NULL,
     row_count INTEGER NOT NULL,
     sha256 VARCHAR NOT NULL,
     http_status INTEGER,
     error VARCHAR,
     attempted_at TIMESTAMPTZ NOT NULL,
     delivered_at TIMESTAMPTZ
   )`,
);
