import { join } from 'node:path';
import { writeFileAtomic } from '../../../store/files.js';
import type { Destination } from './destination.js';

export interface DeliveryOutcome {
  status: 'delivered' | 'failed';
  attempts: number;
  /** the last HTTP status (http destinations) */
  http_status: number | null;
  error: string | null;
  /** the file written (dir destinations) */
  path: string | null;
}

export interface HttpOptions {
  token?: string;
  idempotencyKey: string;
  fetchImpl?: typeof fetch;
  /** delay before retry n (1-based) = baseDelayMs × 2^(n−1); default 200 ms */
  baseDelayMs?: number;
  /** attempts in all, default 5 */
  maxAttempts?: number;
  /** per-attempt timeout, default 30 s */
  timeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

export const DEFAULT_BASE_DELAY_MS = 200;
export const DEFAULT_MAX_ATTEMPTS = 5;
export const DEFAULT_TIMEOUT_MS = 30_000;
/** the most a server's Retry-After may make us wait between two attempts */
const MAX_RETRY_AFTER_MS = 60_000;

/** Writes `PATH/<advertiser>/buckets_breakdown_<D>.csv` atomically (readers see the old file or the new). */
export async function deliverToDir(dest: Extract<Destination, { kind: 'dir' }>, advertiser: string, date: string, csv: string): Promise<DeliveryOutcome> {
  const path = join(dest.dir, advertiser, `buckets_breakdown_${date}.csv`);
  try {
    await writeFileAtomic(path, csv);
    return { status: 'delivered', attempts: 1, http_status: null, error: null, path };
  } catch (err) {
    return { status: 'failed', attempts: 1, http_status: null, error: `cannot write ${path}: ${(err as Error).message}`, path: null };
  }
}

/** 408, 429 and 5xx are worth another try; other 4xx are not. */
export function retryable(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/**
 * POSTs the CSV (text/csv) with `Authorization: Bearer <token>` (when given) and `Idempotency-Key`.
 * 2xx = delivered; 408, 429, 5xx and network errors are retried with exponential backoff (honouring a
 * Retry-After of up to 60 s); any other status fails at once.
 */
export async function deliverToHttp(dest: Extract<Destination, { kind: 'http' }>, csv: string, opts: HttpOptions): Promise<DeliveryOutcome> {
  const fetchImpl = opts.fetchImpl ?? fetch;
  const base = opts.baseDelayMs ?? DEFAULT_BASE_DELAY_MS;
  const maxAttempts = Math.max(1, opts.maxAttempts ?? DEFAULT_MAX_ATTEMPTS);
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const headers: Record<string, string> = {
    'Content-Type': 'text/csv; charset=utf-8',
    'Idempotency-Key': opts.idempotencyKey,
  };
  if (opts.token) headers.Authorization = `Bearer ${opts.token}`;

  let lastStatus: number | null = null;
  let lastError = '';
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    let retryAfterMs = 0;
    try {
      const res = await fetchImpl(dest.url, {
        method: 'POST', headers, body: csv, signal: AbortSignal.timeout(opts.timeoutMs ?? DEFAULT_TIMEOUT_MS),
      });
      lastStatus = res.status;
      const body = await res.text().catch(() => '');
      if (res.ok) return { status: 'delivered', attempts: attempt, http_status: res.status, error: null, path: null };
      lastError = `HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}${body.trim() ? `: ${body.trim().slice(0, 200)}` : ''}`;
      if (!retryable(res.status)) return { status: 'failed', attempts: attempt, http_status: res.status, error: lastError, path: null };
      retryAfterMs = parseRetryAfter(res.headers.get('retry-after'));
    } catch (err) {
      lastStatus = null;
      lastError = `network error: ${describe(err)}`;
    }
    if (attempt < maxAttempts) await sleep(Math.max(base * 2 ** (attempt - 1), retryAfterMs));
  }
  return { status: 'failed', attempts: maxAttempts, http_status: lastStatus, error: `${lastError} (gave up after ${maxAttempts} attempts)`, path: null };
}

function parseRetryAfter(value: string | null): number {
  if (!value) return 0;
  const seconds = Number(value.trim());
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds * 1000, MAX_RETRY_AFTER_MS);
  const at = Date.parse(value);
  return Number.isNaN(at) ? 0 : Math.min(Math.max(0, at - Date.now()), MAX_RETRY_AFTER_MS);
}

function describe(err: unknown): string {
  if (err instanceof Error) {
    if (err.name === 'TimeoutError') return 'timed out';
    const cause = (err as Error & { cause?: { code?: string; message?: string } }).cause;
    return cause?.code ?? cause?.message ?? err.message;
  }
  return String(err);
}
