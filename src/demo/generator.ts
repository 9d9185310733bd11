/**
 * Seeded, realistic demo / benchmark data: site events (JSON Lines, SPEC §2.2) and a Pinterest
 * log-level feed (one CSV per UTC day, SPEC §2.3) for a fictional outdoor shop.
 *
 * What it models (see src/demo/generator/*.ts):
 * - persons with 1–3 devices (uids), stitched by identify events carrying email (messy case and
 *   spaces), external_id and/or email_sha256 — transitively (device A gives the email, device B the
 *   email + external_id, a webhook conversion only the external_id); some persons never identify;
 * - sessions from direct, organic search, organic social, referral, email (Klaviyo), paid search
 *   (UTMs and/or gclid/msclkid), paid social (Facebook/Instagram/TikTok UTMs) and Pinterest paid
 *   (UTMs, sometimes an `epik` click id), each a landing view plus 0–6 internal views and an
 *   occasional reload; traffic follows a daily curve in the advertiser's timezone and a weekly pattern;
 * - purchases (~20% of persons, some repeat buyers, conversion propensity differing by channel and
 *   lifted by Pinterest exposure), server-side webhooks without uid, ~3% duplicate orders, plus
 *   add_to_cart and signup actions;
 * - timestamps mixing ISO-8601 `Z`, ISO-8601 with an offset and epoch milliseconds;
 * - Pinterest feed rows (clicks just before the landing they produced, views and engagements,
 *   ~10% unmatched) keyed by event_id, external_id, hashed_email and/or click_id.
 *
 * Deterministic: the same options give byte-identical files (no clock, no Math.random).
 */
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Clock, DAY, utcDay } from './generator/clock.js';
import { TextSink } from './generator/output.js';
import { FEED_HEADER, simulatePerson, type Sinks, type Tally, type World } from './generator/person.js';

export interface GeneratorOptions {
  /** Same seed → byte-identical output. */
  seed: number;
  /** e.g. 50_000 for the demo, 200_000 for the benchmark. */
  persons: number;
  /** Length of the period in days, e.g. 90. */
  days: number;
  /** 'YYYY-MM-DD' (UTC), last day of the period, inclusive. */
  endDate: string;
  /** e.g. 'shop.example'. */
  siteHost: string;
  /** IANA timezone, e.g. 'America/New_York' (affects the daily traffic shape only). */
  advertiserTimezone: string;
  /** Pinterest feed rows per person on average (matched and unmatched), default 5. */
  feedRowsPerPerson?: number;
  /** Currency of the conversions, default 'USD'. */
  currency?: string;
}

export interface GeneratedData {
  /** Site event lines written. */
  eventLines: number;
  /** Conversion lines written (incl. duplicates). */
  conversions: number;
  /** Pinterest feed rows written. */
  feedRows: number;
}

const FEED_CHUNK_CHARS = 256 * 1024;

function validate(opts: GeneratorOptions): void {
  if (!Number.isInteger(opts.seed)) throw new Error(`seed must be an integer, got ${opts.seed}`);
  if (!Number.isInteger(opts.persons) || opts.persons < 0) throw new Error(`persons must be a non-negative integer, got ${opts.persons}`);
  if (!Number.isInteger(opts.days) || opts.days < 1 || opts.days > 3660) throw new Error(`days must be an integer in 1..3660, got ${opts.days}`);
  if (!/^[a-z0-9.-]+(:\d+)?$/i.test(opts.siteHost)) throw new Error(`siteHost must be a host name, got ${JSON.stringify(opts.siteHost)}`);
  const rows = opts.feedRowsPerPerson;
  if (rows !== undefined && (!Number.isFinite(rows) || rows < 0)) throw new Error(`feedRowsPerPerson must be ≥ 0, got ${rows}`);
  if (opts.currency !== undefined && !/^[A-Z]{3}$/.test(opts.currency)) throw new Error(`currency must be a 3-letter ISO code, got ${JSON.stringify(opts.currency)}`);
}

/**
 * Streams site events as JSON Lines to eventsPath (gzip when the path ends in .gz) and a Pinterest
 * log-level feed as one CSV per day into feedDir (file name pinterest_feed_<YYYY-MM-DD>.csv), if
 * feedDir is given. Every day of the period gets a feed file (header only when it has no rows).
 * The site events do not depend on whether a feed is generated.
 */
export async function generate(opts: GeneratorOptions, eventsPath: string, feedDir?: string): Promise<GeneratedData> {
  validate(opts);
  const clock = new Clock(opts.endDate, opts.days, opts.advertiserTimezone);
  const world: World = {
    seed: opts.seed | 0,
    clock,
    origin: `https://${opts.siteHost}`,
    currency: opts.currency ?? 'USD',
    feedRowsPerPerson: feedDir === undefined ? 0 : opts.feedRowsPerPerson ?? 5,
    counters: { event: 0, device: 0, order: 0 },
  };
  const tally: Tally = { eventLines: 0, conversions: 0, feedRows: 0, buyers: 0 };

  const events = new TextSink(eventsPath, eventsPath.endsWith('.gz'));
  const feeds: TextSink[] = [];
  const opened: TextSink[] = [events];
  try {
    if (feedDir !== undefined) {
      await mkdir(feedDir, { recursive: true });
      for (let d = 0; d < opts.days; d++) {
        const name = `pinterest_feed_${utcDay(clock.startMs + d * DAY)}.csv`;
        const sink = new TextSink(join(feedDir, name), false, FEED_CHUNK_CHARS);
        opened.push(sink);
        sink.push(`${FEED_HEADER}\n`);
        feeds.push(sink);
      }
    }
    const fullFeeds: TextSink[] = [];
    const sinks: Sinks = {
      event: (line) => events.push(line),
      feed: (ms, line) => {
        const sink = feeds[Math.floor((ms - clock.startMs) / DAY)];
        const wasFull = sink.full;
        sink.push(`${line}\n`);
        if (!wasFull && sink.full) fullFeeds.push(sink);
      },
    };
    for (let i = 0; i < opts.persons; i++) {
      simulatePerson(world, i, sinks, tally);
      if (events.full) await events.flush();
      if (fullFeeds.length > 0) {
        for (const sink of fullFeeds) await sink.flush();
        fullFeeds.length = 0;
      }
    }
    for (const sink of opened) await sink.close();
  } catch (err) {
    for (const sink of opened) sink.destroy();
    await rm(eventsPath, { force: true }).catch(() => undefined);
    throw err;
  }
  return { eventLines: tally.eventLines, conversions: tally.conversions, feedRows: tally.feedRows };
}
