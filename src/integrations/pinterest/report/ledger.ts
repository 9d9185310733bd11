/** The delivery ledger of the daily report (table pinterest_report_deliveries, one row per send). */
import type { Store } from '../../../store/db.js';

export interface DeliveryRecord {
  date: string;
  destination: string;
  status: 'delivered' | 'failed';
  attempts: number;
  row_count: number;
  sha256: string;
  http_status: number | null;
  error: string | null;
  attempted_at: string;
  delivered_at: string | null;
}

const COLUMNS = `strftime(date, '%Y-%m-%d') AS date, destination, status, attempts, row_count, sha256, http_status, error,
  strftime(attempted_at AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%S.%gZ') AS attempted_at,
  strftime(delivered_at AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%S.%gZ') AS delivered_at`;

export async function recordDelivery(store: Store, advertiser: string, r: DeliveryRecord): Promise<void> {
  await store.run(`INSERT INTO pinterest_report_deliveries VALUES (?, ?::DATE, ?, ?, ?, ?, ?, ?, ?, ?::TIMESTAMPTZ, ?::TIMESTAMPTZ)`, [
    advertiser, r.date, r.destination, r.status, r.attempts, r.row_count, r.sha256, r.http_status, r.error, r.attempted_at, r.delivered_at,
  ]);
}

/** The latest send of a date to a destination, or null. */
export async function latestDelivery(store: Store, advertiser: string, date: string, destination: string): Promise<DeliveryRecord | null> {
  const row = await store.one<DeliveryRecord>(`SELECT ${COLUMNS} FROM pinterest_report_deliveries
    WHERE advertiser = ? AND date = ?::DATE AND destination = ? ORDER BY attempted_at DESC, rowid DESC LIMIT 1`,
  [advertiser, date, destination]);
  return row ?? null;
}

/** The most recent sends, newest first. */
export async function recentDeliveries(store: Store, advertiser: string, limit = 10): Promise<DeliveryRecord[]> {
  return store.all<DeliveryRecord>(`SELECT ${COLUMNS} FROM pinterest_report_deliveries
    WHERE advertiser = ? ORDER BY attempted_at DESC, rowid DESC LIMIT ?`, [advertiser, limit]);
}
