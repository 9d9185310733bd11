/** What the site-event ingestion steps share. */
export interface EventIngestContext {
  file: string;
  /** advertiser for lines that name none (null: such lines are rejected) */
  defaultAdvertiser: string | null;
  /** keep every rejected line in the summary (for a rejects file), not only the first ones */
  keepAllRejects?: boolean;
  /** filled by the steps */
  summary: EventIngestSummary;
}

export interface RejectedLine { line: number; reason: string }

export interface EventIngestSummary {
  file: string;
  lines: number;
  accepted: number;
  duplicates: number;
  rejected: number;
  /** the first rejected lines, in file order (all of them when `rejects` output is asked for) */
  rejects: RejectedLine[];
  advertisers: string[];
}
