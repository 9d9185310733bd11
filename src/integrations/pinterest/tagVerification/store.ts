/** Keeping tag verification runs (table pinterest_tag_verifications, one row per run). */
import type { Store } from '../../../store/db.js';
import type { PageResult, VerificationResult } from './types.js';

interface VerificationRow {
  advertiser: string;
  verified_at: string;
  expected_tag_id: string | null;
  passed: boolean;
  pages: string;
}

const SELECT = `
  SELECT advertiser,
         strftime(verified_at AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%S.%gZ') AS verified_at,
         expected_tag_id, passed, CAST(pages AS VARCHAR) AS pages
  FROM pinterest_tag_verifications`;

function fromRow(row: VerificationRow): VerificationResult {
  return {
    advertiser: row.advertiser,
    verified_at: row.verified_at,
    expected_tag_id: row.expected_tag_id,
    passed: row.passed,
    pages: JSON.parse(row.pages) as PageResult[],
  };
}

/** Stores a run for its advertiser. */
export async function saveVerification(store: Store, result: VerificationResult): Promise<void> {
  await store.run(
    `INSERT INTO pinterest_tag_verifications (advertiser, verified_at, expected_tag_id, passed, pages)
     VALUES (?, CAST(? AS TIMESTAMPTZ), ?, ?, CAST(? AS JSON))`,
    [result.advertiser, result.verified_at, result.expected_tag_id, result.passed, JSON.stringify(result.pages)],
  );
}

/** The advertiser's most recent run (by verified_at; the later insert wins a tie), or null. */
export async function latestVerification(store: Store, advertiserId: string): Promise<VerificationResult | null> {
  const row = await store.one<VerificationRow>(
    `${SELECT} WHERE advertiser = ? ORDER BY pinterest_tag_verifications.verified_at DESC, rowid DESC LIMIT 1`,
    [advertiserId],
  );
  return row ? fromRow(row) : null;
}

/** The advertiser's runs, newest first. */
export async function listVerifications(store: Store, advertiserId: string, limit = 20): Promise<VerificationResult[]> {
  const rows = await store.all<VerificationRow>(
    `${SELECT} WHERE advertiser = ? ORDER BY pinterest_tag_verifications.verified_at DESC, rowid DESC LIMIT ?`,
    [advertiserId, limit],
  );
  return rows.map(fromRow);
}
