/**
 * Simulates one person of the demo dataset: devices, sessions (landing + internal navigation),
 * identify events, conversions (with webhooks and duplicates) and, when asked, the person's rows in
 * the Pinterest log-level feed. Every draw comes from a per-person PRNG stream, so a person's data
 * does not depend on how many draws other persons made; the feed uses its own stream so the site
 * events are the same whether or not a feed is generated.
 */
import { createHash } from 'node:crypto';
import {
  CHANNEL_PURCHASE_RATE,
  CHANNEL_SHARE,
  CHANNELS,
  PINTEREST_AD_ACCOUNT_ID,
  drawEmail,
  drawEpik,
  drawLanding,
  drawPage,
  drawPinterestAd,
  messyEmail,
  type Ad,
  type AdGroup,
  type Campaign,
  type Channel,
  type PinterestClick,
} from './catalog.js';
import { Clock, DAY, HOUR, MINUTE, isoSecondsZ, isoWithOffset, isoZ } from './clock.js';
import { Rng, WeightedTable, hex8, permute32 } from './random.js';

/** Share of persons exposed to Pinterest ads (and so present in the feed). */
export const PINTEREST_EXPOSED_SHARE = 0.3;
/** Share of feed rows that match nobody (random ids). */
export const UNMATCHED_FEED_SHARE = 0.1;

export const FEED_HEADER =
  'event_time,action_type,event_id,external_id,hashed_email,click_id,campaign_id,campaign_name,ad_group_id,ad_group_name,ad_id,ad_name,pin_id,ad_account_id';

export interface World {
  seed: number;
  clock: Clock;
  origin: string;
  currency: string;
  /** Feed rows per person overall (matched + unmatched); 0 disables the feed. */
  feedRowsPerPerson: number;
  counters: { event: number; device: number; order: number };
}

export interface Sinks {
  event(line: string): void;
  /** A feed row (CSV line without newline) whose event_time is `ms`. */
  feed(ms: number, line: string): void;
}

export interface Tally {
  eventLines: number;
  conversions: number;
  feedRows: number;
  /** Persons with at least one purchase (for calibration and reporting). */
  buyers: number;
}

const SESSION_GAP_MIN = 30 * MINUTE;
const INTERNAL_PAGES = new WeightedTable([0, 1, 2, 3, 4, 5, 6], [30, 22, 17, 12, 9, 6, 4]);
const FIRST_CHANNELS = CHANNELS.filter((c) => c !== 'email');
const OTHER_OFFSETS = [-480, -420, -360, 0, 60, 120, 330, 540];

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function channelTable(channels: readonly Channel[], exposed: boolean): WeightedTable<Channel> {
  return new WeightedTable(
    channels,
    channels.map((c) => (c === 'pinterest_paid' ? (exposed ? CHANNEL_SHARE[c] / PINTEREST_EXPOSED_SHARE : 0) : CHANNEL_SHARE[c])),
  );
}
const TABLES = {
  firstExposed: channelTable(FIRST_CHANNELS, true),
  firstPlain: channelTable(FIRST_CHANNELS, false),
  laterExposed: channelTable(CHANNELS, true),
  laterPlain: channelTable(CHANNELS, false),
};

interface ClickRecord {
  ms: number;
  eventId: string;
  click: PinterestClick;
}

/**
 * Identity keys of an event as a JSON fragment (`,"uid":"d-1","email":"a@b.c"`). Lines are built as
 * strings rather than through JSON.stringify (the generator's hot path): every string the generator
 * puts in a line (ids, hex, encodeURIComponent-encoded URLs, fixed referrers, emails of [a-z0-9._@ ])
 * needs no JSON escaping; the tests parse every line.
 */
type IdentityKeys = string;

/** Per-person state while its site events are generated. */
class PersonSim {
  readonly rng: Rng;
  readonly uids: string[];
  readonly identified: boolean[];
  identifyCount = 0;
  readonly externalId: string;
  readonly email: string;
  private hashCache: string | null = null;
  readonly exposed: boolean;
  readonly willIdentify: boolean;
  readonly propensity: number;
  purchases = 0;
  readonly maxPurchases: number;
  signedUp = false;
  readonly clicks: ClickRecord[] = [];
  readonly sessionStarts: number[] = [];
  readonly purchaseTimes: number[] = [];
  readonly epiks: string[] = [];

  constructor(readonly world: World, readonly index: number, readonly sinks: Sinks, readonly tally: Tally) {
    const rng = new Rng(world.seed, index + 1);
    this.rng = rng;
    const r = rng.next();
    const devices = r < 0.62 ? 1 : r < 0.9 ? 2 : 3;
    this.uids = [];
    this.identified = [];
    for (let i = 0; i < devices; i++) {
      const n = world.counters.device++;
      this.uids.push(`d-${hex8(permute32(n, world.seed ^ 0x2c1b3c6d))}${rng.hex(4)}`);
      this.identified.push(false);
    }
    this.externalId = `c-${100000 + index}`;
    this.email = drawEmail(rng, index);
    this.exposed = rng.chance(PINTEREST_EXPOSED_SHARE);
    this.willIdentify = rng.chance(0.72);
    // Person-level purchase propensity; Pinterest exposure lifts it (the view-through effect).
    this.propensity = Math.min(6, rng.logNormal(1, 0.75)) * (this.exposed ? 1.25 : 1);
    const m = rng.next();
    this.maxPurchases = m < 0.6 ? 1 : m < 0.85 ? 2 : m < 0.95 ? 3 : 4;
  }

  get emailHash(): string {
    if (this.hashCache === null) this.hashCache = sha256(this.email);
    return this.hashCache;
  }

  /** A timestamp (as JSON) in one of the accepted formats, all denoting the instant `ms`. */
  ts(ms: number): string {
    const r = this.rng.next();
    if (r < 0.8) return `"${isoZ(ms)}"`;
    if (r < 0.9) {
      const offset = this.rng.chance(0.8) ? this.world.clock.offsetAt(ms) : this.rng.pick(OTHER_OFFSETS);
      return `"${isoWithOffset(ms, offset)}"`;
    }
    return String(ms);
  }

  private emit(line: string): void {
    this.sinks.event(line);
    this.tally.eventLines++;
  }

  private nextEventId(): string {
    const n = this.world.counters.event++;
    return `ev-${hex8(permute32(n, this.world.seed ^ 0x6a09e667))}`;
  }

  view(ms: number, uid: string, url: string, referrer: string | null): string {
    const eventId = this.nextEventId();
    const ts = this.ts(ms);
    if (referrer === null) this.emit(`{"type":"view","ts":${ts},"uid":"${uid}","event_id":"${eventId}","url":"${url}"}\n`);
    else this.emit(`{"type":"view","ts":${ts},"uid":"${uid}","event_id":"${eventId}","url":"${url}","referrer":"${referrer}"}\n`);
    return eventId;
  }

  /**
   * An identify on device `d`. The first device identified tends to give the email; later devices
   * tend to give email + external_id or only external_id, so stitching is transitive.
   */
  identify(ms: number, d: number): void {
    const rng = this.rng;
    const r = rng.next();
    const ext = `,"external_id":"${this.externalId}"`;
    let keys: IdentityKeys;
    if (this.identifyCount === 0) {
      if (r < 0.35) keys = this.emailKey();
      else if (r < 0.65) keys = ext + this.emailKey();
      else if (r < 0.8) keys = this.hashKey();
      else if (r < 0.9) keys = ext;
      else keys = ext + this.hashKey();
    } else {
      if (r < 0.4) keys = ext + this.emailKey();
      else if (r < 0.65) keys = ext;
      else if (r < 0.85) keys = this.emailKey();
      else keys = this.hashKey();
    }
    if (!this.identified[d]) {
      this.identified[d] = true;
      this.identifyCount++;
    }
    this.emit(`{"type":"identify","ts":${this.ts(ms)},"uid":"${this.uids[d]}"${keys}}\n`);
  }

  private emailKey(): IdentityKeys {
    return `,"email":"${messyEmail(this.rng, this.email)}"`;
  }

  private hashKey(): IdentityKeys {
    return `,"email_sha256":"${this.emailHash}"`;
  }

  private uidKey(d: number): IdentityKeys {
    return `,"uid":"${this.uids[d]}"`;
  }

  private conversionLine(ms: number, keys: IdentityKeys, action: string, orderId: string | null, revenue: number): void {
    const order = orderId === null ? '' : `,"order_id":"${orderId}"`;
    this.emit(`{"type":"conversion","ts":${this.ts(ms)}${keys},"action":"${action}"${order},"revenue":${revenue},"currency":"${this.world.currency}"}\n`);
    this.tally.conversions++;
  }

  /** Identity keys of a server-side order webhook: no uid, only the customer's id or email. */
  private webhookKeys(): IdentityKeys {
    const r = this.rng.next();
    if (r < 0.6) return `,"external_id":"${this.externalId}"`;
    if (r < 0.9) return this.emailKey();
    return this.hashKey();
  }

  purchase(ms: number, d: number): void {
    const rng = this.rng;
    const orderId = `o-${100001 + this.world.counters.order++}`;
    const revenue = Math.round(Math.min(950, Math.max(9.5, rng.logNormal(72, 0.55))) * 100) / 100;
    const pixel = rng.chance(0.86);
    const keys: IdentityKeys = pixel
      ? rng.chance(0.08) ? `${this.uidKey(d)},"external_id":"${this.externalId}"` : this.uidKey(d)
      : this.webhookKeys();
    const at = pixel ? ms : ms + rng.int(2_000, 90_000);
    this.conversionLine(at, keys, 'purchase', orderId, revenue);
    if (rng.chance(0.03)) {
      // The same order sent twice: by the same path, or once by the pixel and once by the webhook.
      const again = rng.chance(0.5) ? keys : pixel ? this.webhookKeys() : this.uidKey(d);
      this.conversionLine(at + rng.int(3_000, 600_000), again, 'purchase', orderId, revenue);
    }
    this.purchases++;
    this.purchaseTimes.push(ms);
  }

  /** One session starting at `start` from `channel` on device `d`; returns the session's end. */
  session(start: number, channel: Channel, d: number, sessionIndex: number): number {
    const rng = this.rng;
    const { origin } = this.world;
    const uid = this.uids[d];
    const landing = drawLanding(rng, channel);
    const url = origin + landing.pathAndQuery;
    const landingId = this.view(start, uid, url, landing.referrer);
    this.sessionStarts.push(start);
    if (landing.pinterest) {
      this.clicks.push({ ms: start, eventId: landingId, click: landing.pinterest });
      if (landing.pinterest.epik) this.epiks.push(landing.pinterest.epik);
    }
    let cursor = start;
    if (rng.chance(0.04)) {
      // A reload of the landing page: same URL and referrer, a few seconds to minutes later.
      cursor += rng.int(5_000, 240_000);
      this.view(cursor, uid, url, landing.referrer);
    }
    let prevPath = landing.pathAndQuery.split('?')[0];
    const pages = INTERNAL_PAGES.draw(rng);
    for (let i = 0; i < pages; i++) {
      cursor += 3_000 + Math.floor(rng.exp(45_000));
      const path = drawPage(rng, false);
      this.view(cursor, uid, origin + path, origin + prevPath);
      prevPath = path.split('?')[0];
    }
    if (this.willIdentify && !this.identified[d] && rng.chance(0.3)) {
      cursor += rng.int(2_000, 60_000);
      this.identify(cursor, d);
    } else if (this.willIdentify && this.identified[d] && rng.chance(0.05)) {
      cursor += rng.int(2_000, 60_000);
      this.identify(cursor, d); // a repeated login
    }
    if (!this.signedUp && rng.chance(0.012)) {
      this.signedUp = true;
      cursor += rng.int(5_000, 90_000);
      if (!this.identified[d]) this.identify(cursor, d);
      cursor += rng.int(1_000, 5_000);
      this.conversionLine(cursor, this.uidKey(d), 'signup', null, 0);
    }
    const returning = 1 + 0.15 * Math.min(sessionIndex, 5);
    const p = CHANNEL_PURCHASE_RATE[channel] * this.propensity * returning;
    if (this.purchases < this.maxPurchases && rng.chance(p)) {
      if (rng.chance(0.35)) {
        cursor += rng.int(20_000, 120_000);
        this.conversionLine(cursor, this.uidKey(d), 'add_to_cart', null, 0);
      }
      if (!this.identified[d] && rng.chance(0.85)) {
        cursor += rng.int(10_000, 90_000);
        this.identify(cursor, d); // email typed at checkout
      }
      cursor += rng.int(60_000, 360_000);
      this.purchase(cursor, d);
    } else if (rng.chance(0.025)) {
      cursor += rng.int(20_000, 120_000);
      this.conversionLine(cursor, this.uidKey(d), 'add_to_cart', null, 0);
    }
    return cursor;
  }

  /** All of the person's sessions, in chronological order. */
  run(): void {
    const rng = this.rng;
    const clock = this.world.clock;
    const count = Math.min(80, Math.max(1, Math.round(rng.logNormal(1.45, 1.2))));
    const first = clock.drawInstant(rng);
    const firstHour = clock.hourIndex(first);
    const windowHours = Math.ceil(rng.exp(20 * 24));
    const starts = [first];
    for (let i = 1; i < count; i++) starts.push(clock.drawInstant(rng, firstHour, firstHour + windowHours + 1));
    starts.sort((a, b) => a - b);
    const firstChannel = (this.exposed ? TABLES.firstExposed : TABLES.firstPlain).draw(rng);
    const later = this.exposed ? TABLES.laterExposed : TABLES.laterPlain;
    let notBefore = clock.startMs;
    for (let i = 0; i < starts.length; i++) {
      const start = Math.max(starts[i], notBefore);
      if (start >= clock.endMs - HOUR) break;
      const channel = i === 0 ? firstChannel : rng.chance(0.2) ? firstChannel : rng.chance(0.12) ? 'direct' : later.draw(rng);
      const d = this.uids.length === 1 || rng.chance(0.6) ? 0 : rng.int(1, this.uids.length - 1);
      const end = this.session(start, channel, d, i);
      notBefore = end + SESSION_GAP_MIN + Math.floor(rng.exp(2 * HOUR));
    }
  }
}

/** Feed-row writer for one person (own PRNG stream). */
class FeedSim {
  readonly rng: Rng;

  constructor(readonly world: World, readonly index: number, readonly sinks: Sinks, readonly tally: Tally) {
    this.rng = new Rng(world.seed ^ 0x5eed5eed, index + 1);
  }

  row(ms: number, action: string, keys: { eventId?: string; externalId?: string; hashedEmail?: string; clickId?: string }, ad: { campaign: Campaign; group: AdGroup; ad: Ad }): void {
    const rng = this.rng;
    const clock = this.world.clock;
    const t = clock.clamp(ms);
    const eventTime = rng.chance(0.2) ? String(Math.floor(t / 1000)) : isoSecondsZ(t);
    // ~1% of rows each lack the campaign, ad group or ad name (ids are always there).
    const blank = rng.next();
    const campaignName = blank < 0.01 ? '' : ad.campaign.nameCsv;
    const groupName = blank >= 0.01 && blank < 0.02 ? '' : ad.group.nameCsv;
    const adName = blank >= 0.02 && blank < 0.03 ? '' : ad.ad.nameCsv;
    const pinId = rng.chance(0.9) ? ad.ad.pinId : '';
    // Ids, hex and click ids need no CSV quoting; names are pre-quoted (nameCsv).
    const line = `${eventTime},${action},${keys.eventId ?? ''},${keys.externalId ?? ''},${keys.hashedEmail ?? ''},${keys.clickId ?? ''},${ad.campaign.id},${campaignName},${ad.group.id},${groupName},${ad.ad.id},${adName},${pinId},${PINTEREST_AD_ACCOUNT_ID}`;
    this.sinks.feed(t, line);
    this.tally.feedRows++;
  }

  clickAction(): string {
    const r = this.rng.next();
    return r < 0.6 ? 'click' : r < 0.9 ? 'outbound_click' : 'pin_click';
  }

  /** Rows of a Pinterest-exposed person: clicks behind its Pinterest landings, then views and engagements. */
  exposedRows(p: PersonSim): void {
    const rng = this.rng;
    const clock = this.world.clock;
    let emitted = 0;
    for (const c of p.clicks) {
      if (!rng.chance(0.92)) continue; // not every click is reported
      const keys: { eventId?: string; externalId?: string; hashedEmail?: string; clickId?: string } = {};
      if (rng.chance(0.85)) keys.eventId = c.eventId;
      if (c.click.epik && rng.chance(0.75)) keys.clickId = c.click.epik;
      if (rng.chance(0.25)) keys.hashedEmail = p.emailHash;
      if (rng.chance(0.15)) keys.externalId = p.externalId;
      if (!keys.eventId && !keys.clickId && !keys.hashedEmail && !keys.externalId) keys.eventId = c.eventId;
      const before = rng.int(2_000, 20 * MINUTE);
      this.row(Math.max(clock.startMs, c.ms - before), this.clickAction(), keys, c.click);
      emitted++;
    }
    if (rng.chance(0.15)) {
      // A click that never reached the site (bounced before the tag fired).
      const ms = p.sessionStarts.length > 0 ? rng.pick(p.sessionStarts) - rng.int(MINUTE, 3 * DAY) : clock.drawInstant(rng);
      this.row(ms, this.clickAction(), rng.chance(0.6) ? { hashedEmail: p.emailHash } : { externalId: p.externalId }, drawPinterestAd(rng));
      emitted++;
    }
    const target = (this.world.feedRowsPerPerson * (1 - UNMATCHED_FEED_SHARE)) / PINTEREST_EXPOSED_SHARE;
    const mean = Math.max(0.3, target - emitted);
    const n = rng.poisson(mean * rng.exp(1)); // a gamma–Poisson mixture: heavy-tailed counts
    const firstHour = p.sessionStarts.length > 0 ? clock.hourIndex(p.sessionStarts[0]) : 0;
    const lastHour = p.sessionStarts.length > 0 ? clock.hourIndex(p.sessionStarts[p.sessionStarts.length - 1]) : clock.hours;
    for (let i = 0; i < n; i++) {
      let ms: number;
      const r = rng.next();
      if (r < 0.2 && p.purchaseTimes.length > 0) ms = rng.pick(p.purchaseTimes) - MINUTE - Math.floor(rng.exp(8 * HOUR));
      else if (r < 0.55 && p.sessionStarts.length > 0) ms = rng.pick(p.sessionStarts) - MINUTE - Math.floor(rng.exp(10 * HOUR));
      else ms = clock.drawInstant(rng, firstHour - 7 * 24, lastHour + 24);
      const a = rng.next();
      const action = a < 0.61 ? 'view' : a < 0.72 ? 'impression' : a < 0.83 ? 'closeup' : a < 0.93 ? 'save' : 'engagement';
      const keys: { externalId?: string; hashedEmail?: string; clickId?: string } = {};
      if (rng.chance(0.6)) keys.hashedEmail = p.emailHash;
      if (rng.chance(0.35)) keys.externalId = p.externalId;
      if (p.epiks.length > 0 && rng.chance(0.1)) keys.clickId = rng.pick(p.epiks);
      if (!keys.hashedEmail && !keys.externalId && !keys.clickId) keys.hashedEmail = p.emailHash;
      this.row(ms, action, keys, drawPinterestAd(rng));
    }
  }

  /** Rows that match nobody: random ids, at any time of the period. */
  unmatchedRows(): void {
    const rng = this.rng;
    const n = rng.poisson(this.world.feedRowsPerPerson * UNMATCHED_FEED_SHARE);
    for (let i = 0; i < n; i++) {
      const keys: { eventId?: string; externalId?: string; hashedEmail?: string; clickId?: string } = {};
      const r = rng.next();
      if (r < 0.25) keys.eventId = `ev-${rng.hex(12)}`; // 12 hex digits: never a generated event id
      else if (r < 0.45) keys.externalId = `c-9${rng.digits(8)}`;
      else if (r < 0.85) keys.hashedEmail = rng.hex(64);
      else keys.clickId = drawEpik(rng);
      if (rng.chance(0.2)) keys.hashedEmail = rng.hex(64);
      const a = rng.next();
      const action = a < 0.7 ? 'view' : a < 0.85 ? 'save' : 'click';
      this.row(this.world.clock.drawInstant(rng), action, keys, drawPinterestAd(rng));
    }
  }
}

/** Generates everything about person `index`. */
export function simulatePerson(world: World, index: number, sinks: Sinks, tally: Tally): void {
  const person = new PersonSim(world, index, sinks, tally);
  person.run();
  if (person.purchases > 0) tally.buyers++;
  if (world.feedRowsPerPerson > 0) {
    const feed = new FeedSim(world, index, sinks, tally);
    if (person.exposed) feed.exposedRows(person);
    feed.unmatchedRows();
  }
}
