import type { Advertiser } from '../../../config/schema.js';
import type { FeedColumn } from './columns.js';

export type FeedFormat = 'csv' | 'jsonl';

export interface FeedRejectedRow { line: number; reason: string }

/** What `ingestFeed` reports. */
export interface FeedIngestSummary {
  advertiser: string;
  file: string;
  /** the feed date (YYYY-MM-DD) the rows are stored under */
  date: string;
  format: FeedFormat;
  /** data rows read (CSV: lines after the header; blank lines are not rows) */
  rows: number;
  accepted: number;
  rejected: number;
  /** rejected / rows */
  bad_share: number;
  /** the first rejected rows (at most 20), in file order; all of them are in rejects_path */
  rejects: FeedRejectedRow[];
  /** where every rejected row was written (null when none was rejected and no path was asked for) */
  rejects_path: string | null;
  /** rows of an earlier feed for this date that this one replaced (0 when the date was new) */
  replaced_rows: number;
  /** accepted rows that match a person of the site data so far (more may match as site data arrives) */
  matched: number;
  unmatched: number;
  /** e.g. the one warning about unknown columns */
  warnings: string[];
}

/** What the feed ingestion steps share. */
export interface FeedIngestContext {
  adv: Advertiser;
  file: string;
  date: string;
  thresholdShare: number;
  rejectsPath: string | null;
  /** the rejects path was given by the caller (then it is written even when empty) */
  rejectsPathExplicit: boolean;
  /** set by the reading step */
  format: FeedFormat;
  /** CSV: the header line's number and its column names (lower-cased); JSONL: 0 and [] */
  headerLine: number;
  header: string[];
  delimiter: string;
  /** the feed columns present (CSV: by header position, 1-based; JSONL: every column) */
  positions: Partial<Record<FeedColumn, number>>;
  summary: FeedIngestSummary;
}
