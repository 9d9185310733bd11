/** Tables of the engine: advertisers, site events, derived touchpoints, identity and cached results. */
export const coreSchema: string[] = [
  `CREATE TABLE IF NOT EXISTS advertisers (
     id VARCHAR PRIMARY KEY,
     name VARCHAR NOT NULL,
     timezone VARCHAR NOT NULL,
     currency VARCHAR NOT NULL,
     config JSON NOT NULL,
     data_version BIGINT NOT NULL DEFAULT 1,
     created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
     updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
   )`,
  `CREATE TABLE IF NOT EXISTS events (
     advertiser VARCHAR NOT NULL,
     seq BIGINT NOT NULL,
     type VARCHAR NOT NULL,
     ts TIMESTAMPTZ NOT NULL,
     uid VARCHAR,
     event_id VARCHAR,
     url VARCHAR,
     referrer VARCHAR,
     epik VARCHAR,
     external_id VARCHAR,
     email_sha256 VARCHAR,
     action VARCHAR,
     order_id VARCHAR,
     revenue DOUBLE,
     currency VARCHAR,
     dedupe_key UHUGEINT NOT NULL
   )`,
  `CREATE TABLE IF NOT EXISTS ingest_runs (
     advertiser VARCHAR NOT NULL,
     kind VARCHAR NOT NULL,
     file VARCHAR NOT NULL,
     ingested_at TIMESTAMPTZ NOT NULL DEFAULT now(),
     lines BIGINT NOT NULL,
     accepted BIGINT NOT NULL,
     duplicates BIGINT NOT NULL,
     rejected BIGINT NOT NULL
   )`,
  `CREATE TABLE IF NOT EXISTS tier_combos (
     advertiser VARCHAR NOT NULL,
     combo_id INTEGER NOT NULL,
     tier_1 VARCHAR NOT NULL, tier_2 VARCHAR NOT NULL, tier_3 VARCHAR NOT NULL,
     tier_4 VARCHAR NOT NULL, tier_5 VARCHAR NOT NULL, platform VARCHAR NOT NULL
   )`,
  `CREATE TABLE IF NOT EXISTS site_touchpoints (
     advertiser VARCHAR NOT NULL,
     event_seq BIGINT NOT NULL,
     ts TIMESTAMPTZ NOT NULL,
     uid VARCHAR NOT NULL,
     combo_id INTEGER NOT NULL
   )`,
  `CREATE TABLE IF NOT EXISTS identity_map (
     advertiser VARCHAR NOT NULL,
     ident VARCHAR NOT NULL,
     person INTEGER NOT NULL
   )`,
  `CREATE TABLE IF NOT EXISTS results_state (
     advertiser VARCHAR PRIMARY KEY,
     data_version BIGINT NOT NULL,
     computed_at TIMESTAMPTZ NOT NULL,
     summary JSON
   )`,
  `CREATE TABLE IF NOT EXISTS bucket_results (
     advertiser VARCHAR NOT NULL,
     segment VARCHAR NOT NULL,
     date DATE NOT NULL,
     combo_id INTEGER NOT NULL,
     first_touch DOUBLE NOT NULL, last_touch DOUBLE NOT NULL, even DOUBLE NOT NULL, normalized DOUBLE NOT NULL,
     revenue_first_touch DOUBLE NOT NULL, revenue_last_touch DOUBLE NOT NULL,
     revenue_even DOUBLE NOT NULL, revenue_normalized DOUBLE NOT NULL
   )`,
  `CREATE TABLE IF NOT EXISTS touchpoint_state (
     advertiser VARCHAR PRIMARY KEY,
     rules_version VARCHAR NOT NULL,
     mapped_through_seq BIGINT NOT NULL
   )`,
];
