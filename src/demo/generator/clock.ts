/**
 * Time for the demo data generator: the UTC period, the advertiser's timezone offsets, a traffic
 * curve (daily shape in the advertiser's local time, a mild weekly pattern and a slight upward
 * trend), and the timestamp formats the site events and the Pinterest feed use.
 */
import { Rng } from './random.js';

export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

/** Relative traffic by local hour of day (0–23): quiet nights, lunch bump, evening peak. */
const HOUR_CURVE = [
  0.35, 0.22, 0.15, 0.12, 0.12, 0.18, 0.35, 0.6, 0.8, 0.95, 1.0, 1.05,
  1.15, 1.1, 1.0, 1.0, 1.05, 1.1, 1.2, 1.35, 1.45, 1.4, 1.05, 0.65,
];
/** Relative traffic by local weekday (0 = Sunday): a mild weekly pattern. */
const WEEKDAY_CURVE = [1.12, 1.05, 1.0, 0.98, 0.97, 0.9, 0.95];

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Parses 'YYYY-MM-DD' as midnight UTC; throws on a malformed or impossible date. */
export function parseUtcDate(date: string): number {
  const m = DATE_RE.exec(date);
  if (!m) throw new Error(`endDate must be YYYY-MM-DD, got ${JSON.stringify(date)}`);
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (new Date(ms).toISOString().slice(0, 10) !== date) throw new Error(`endDate is not a calendar date: ${date}`);
  return ms;
}

export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * The generated period and its hourly traffic table. Instants are drawn with density proportional
 * to the traffic curve of the advertiser's local time, so DST shifts are handled for free.
 */
export class Clock {
  /** First instant of the period (midnight UTC of the first day). */
  readonly startMs: number;
  /** First instant after the period (midnight UTC after endDate). */
  readonly endMs: number;
  readonly hours: number;
  /** Offset (minutes east of UTC) of the advertiser's timezone, per UTC hour of the period. */
  private readonly offsets: Int16Array;
  /** Cumulative traffic weight per UTC hour of the period. */
  private readonly cumulative: Float64Array;

  constructor(endDate: string, days: number, readonly timeZone: string) {
    const endDay = parseUtcDate(endDate);
    this.startMs = endDay - (days - 1) * DAY;
    this.endMs = endDay + DAY;
    this.hours = days * 24;
    let fmt: Intl.DateTimeFormat;
    try {
      fmt = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
      });
    } catch {
      throw new Error(`advertiserTimezone is not a known IANA timezone: ${JSON.stringify(timeZone)}`);
    }
    this.offsets = new Int16Array(this.hours);
    this.cumulative = new Float64Array(this.hours);
    let sum = 0;
    for (let h = 0; h < this.hours; h++) {
      const ms = this.startMs + h * HOUR;
      const offset = offsetMinutes(fmt, ms);
      this.offsets[h] = offset;
      const local = new Date(ms + offset * MINUTE);
      const trend = 1 + (0.15 * h) / this.hours;
      sum += HOUR_CURVE[local.getUTCHours()] * WEEKDAY_CURVE[local.getUTCDay()] * trend;
      this.cumulative[h] = sum;
    }
  }

  /** The advertiser's UTC offset in minutes at `ms` (clamped to the period's table). */
  offsetAt(ms: number): number {
    const h = Math.min(this.hours - 1, Math.max(0, Math.floor((ms - this.startMs) / HOUR)));
    return this.offsets[h];
  }

  /**
   * Draws an instant following the traffic curve, between hour indexes `fromHour` (inclusive) and
   * `toHour` (exclusive) of the period (defaults: the whole period).
   */
  drawInstant(rng: Rng, fromHour = 0, toHour = this.hours): number {
    const from = Math.max(0, Math.min(this.hours - 1, fromHour));
    const to = Math.max(from + 1, Math.min(this.hours, toHour));
    const lo = from === 0 ? 0 : this.cumulative[from - 1];
    const hi = this.cumulative[to - 1];
    const x = lo + rng.next() * (hi - lo);
    let a = from;
    let b = to - 1;
    while (a < b) {
      const mid = (a + b) >>> 1;
      if (this.cumulative[mid] > x) b = mid;
      else a = mid + 1;
    }
    return this.startMs + a * HOUR + Math.floor(rng.next() * HOUR);
  }

  hourIndex(ms: number): number {
    return Math.floor((ms - this.startMs) / HOUR);
  }

  /** Clamps an instant into the period. */
  clamp(ms: number): number {
    return Math.min(this.endMs - 1, Math.max(this.startMs, ms));
  }
}

function offsetMinutes(fmt: Intl.DateTimeFormat, ms: number): number {
  const parts: Record<string, number> = {};
  for (const p of fmt.formatToParts(new Date(ms))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  const asUtc = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
  return Math.round((asUtc - Math.floor(ms / 1000) * 1000) / MINUTE);
}

/** ISO-8601 with a numeric offset (`2026-11-03T05:00:00.000-05:00`) denoting the instant `ms`. */
export function isoWithOffset(ms: number, offsetMin: number): string {
  const local = isoZ(ms + offsetMin * MINUTE).slice(0, 23);
  const sign = offsetMin < 0 ? '-' : '+';
  const abs = Math.abs(offsetMin);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${local}${sign}${hh}:${mm}`;
}

const PAD2: string[] = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
const PAD3: string[] = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));
const dayPrefixes = new Map<number, string>();

/** 'YYYY-MM-DDT' of the UTC day number `day` (days since the epoch), cached. */
function dayPrefix(day: number): string {
  let p = dayPrefixes.get(day);
  if (p === undefined) {
    p = new Date(day * DAY).toISOString().slice(0, 11);
    dayPrefixes.set(day, p);
  }
  return p;
}

/** `YYYY-MM-DDTHH:MM:SS` of an epoch-ms instant (UTC) and the milliseconds left over, without a Date. */
function isoParts(ms: number): { head: string; millis: number } {
  const day = Math.floor(ms / DAY);
  let r = ms - day * DAY;
  const h = Math.floor(r / HOUR);
  r -= h * HOUR;
  const m = Math.floor(r / MINUTE);
  r -= m * MINUTE;
  const s = Math.floor(r / 1000);
  return { head: `${dayPrefix(day)}${PAD2[h]}:${PAD2[m]}:${PAD2[s]}`, millis: r - s * 1000 };
}

/** Same as `new Date(ms).toISOString()` for years 1970–9999, without allocating a Date. */
export function isoZ(ms: number): string {
  const { head, millis } = isoParts(ms);
  return `${head}.${PAD3[millis]}Z`;
}

/** ISO-8601 `Z` at second precision (`2026-11-03T10:00:00Z`), as the Pinterest feed writes it. */
export function isoSecondsZ(ms: number): string {
  return `${isoParts(ms).head}Z`;
}
