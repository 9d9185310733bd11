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
