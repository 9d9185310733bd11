/** Calendar arithmetic in an advertiser's time zone (IANA), without a date library. */

const dateFormats = new Map<string, Intl.DateTimeFormat>();
const partFormats = new Map<string, Intl.DateTimeFormat>();

function dateFormat(tz: string): Intl.DateTimeFormat {
  let f = dateFormats.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' });
    dateFormats.set(tz, f);
  }
  return f;
}

/** The local calendar date (YYYY-MM-DD) of an instant in a time zone. */
export function localDate(instant: Date, tz: string): string {
  const parts = dateFormat(tz).formatToParts(instant);
  const get = (type: string) => parts.find((p) => p.type === type)!.value;
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** A YYYY-MM-DD date moved by n days. */
export function addDays(date: string, n: number): string {
  const t = Date.parse(`${date}T00:00:00Z`) + n * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

/** The zone's offset from UTC (ms, local − UTC) at an instant. */
function offsetMs(instant: number, tz: string): number {
  let f = partFormats.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit',
      hour: '2-digit', minute: '2-digit', second: '2-digit',
    });
    partFormats.set(tz, f);
  }
  const p = Object.fromEntries(f.formatToParts(new Date(instant)).map((x) => [x.type, x.value]));
  const asUtc = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/**
 * The instant at which the wall clock of `tz` shows `date` at `hour`:00. When that wall time does
 * not exist (a spring-forward gap) the instant after the gap is returned; when it exists twice
 * (fall back), the first.
 */
export function localTimeToInstant(date: string, hour: number, tz: string): Date {
  const wall = Date.parse(`${date}T00:00:00Z`) + hour * 3_600_000;
  // Try the offsets in force around the wall time; the earliest consistent candidate wins.
  const candidates = [wall - offsetMs(wall - 86_400_000, tz), wall - offsetMs(wall, tz), wall - offsetMs(wall + 86_400_000, tz)]
    .filter((t) => t + offsetMs(t, tz) === wall)
    .sort((a, b) => a - b);
  if (candidates.length > 0) return new Date(candidates[0]);
  // In a gap: the wall time is skipped; use the offset in force before the gap.
  return new Date(wall - offsetMs(wall - 86_400_000, tz));
}
