/** Shapes shared by the tag verification module (SPEC §9). */

/** How one page did: see classify.ts for the rules and the advice per status. */
export type PageStatus = 'ok' | 'stub_only' | 'missing' | 'mismatch' | 'error';

export const PAGE_STATUSES: readonly PageStatus[] = ['ok', 'stub_only', 'missing', 'mismatch', 'error'];

/** The verdict for one page, as stored and printed. */
export interface PageResult {
  url: string;
  status: PageStatus;
  /** window.pintrk.tagId at the end of the check, as a string; null when unset. */
  tag_id: string | null;
  /** Every tag id the page set while it was watched, in order of first appearance. */
  tag_ids_seen: string[];
  /** HTTP status of the main document (after redirects); null when no response came. */
  http_status: number | null;
  /** Address of the page after redirects; null when it could not be opened. */
  final_url: string | null;
  elapsed_ms: number;
  /** Short technical reason for `error` pages ("connection refused", "HTTP 404", ...); null otherwise. */
  reason: string | null;
  /** One plain sentence for every page that is not ok: what it means and what to do. Null for ok. */
  advice: string | null;
}

/** One verification run. */
export interface VerificationResult {
  advertiser: string;
  /** ISO 8601 time the run started. */
  verified_at: string;
  expected_tag_id: string | null;
  /** Every page ok, and at least one page checked. */
  passed: boolean;
  pages: PageResult[];
}

/** Why a page could not be checked (becomes status `error`). */
export type PageFailure =
  | { kind: 'http_status'; status: number }
  | { kind: 'not_html'; contentType: string }
  | { kind: 'load_timeout'; timeoutMs: number }
  | { kind: 'network'; code: string; message: string }
  | { kind: 'browser'; message: string };

/** What the browser saw on one page; classify.ts turns it into a PageResult. */
export interface PageObservation {
  url: string;
  failure: PageFailure | null;
  /** window.pintrk was defined at the end of the check. */
  hasPintrk: boolean;
  /**
   * window.pintrk.tagId at the end: a string or number as the page set it (any other value
   * converted with String()), else null (unset).
   */
  tagId: string | number | null;
  /** Every tagId value assigned while the page was watched (as strings). */
  tagIdsSeen: string[];
  httpStatus: number | null;
  finalUrl: string | null;
  elapsedMs: number;
  /** How long the page was given (for the advice text). */
  timeoutMs: number;
}
