/**
 * The fictional advertiser's world for the demo data generator: products and pages, marketing
 * channels with their session shares and conversion propensities, and the campaigns (with realistic,
 * sometimes awkward names: spaces, '&', commas, quotes, a leading '=' or '+') that landing URLs and
 * the Pinterest feed carry.
 */
import { Rng, permute32, weighted } from './random.js';

export type Channel =
  | 'direct'
  | 'organic_search'
  | 'paid_search'
  | 'paid_social'
  | 'pinterest_paid'
  | 'email'
  | 'organic_social'
  | 'referral';

export const CHANNELS: readonly Channel[] = [
  'direct', 'organic_search', 'paid_search', 'paid_social', 'pinterest_paid', 'email', 'organic_social', 'referral',
];

/** Share of sessions per channel (before person-level adjustments). */
export const CHANNEL_SHARE: Record<Channel, number> = {
  direct: 14,
  organic_search: 18,
  paid_search: 14,
  paid_social: 14,
  pinterest_paid: 9,
  email: 18,
  organic_social: 7,
  referral: 6,
};

/**
 * Probability that a session from this channel ends in a purchase (before the person's own
 * propensity): intent-driven channels (paid search, email) convert better than display-like paid
 * social, so a regression on the paths has signal.
 */
export const CHANNEL_PURCHASE_RATE: Record<Channel, number> = {
  direct: 0.065,
  organic_search: 0.05,
  paid_search: 0.105,
  paid_social: 0.02,
  pinterest_paid: 0.035,
  email: 0.12,
  organic_social: 0.028,
  referral: 0.05,
};

/** A CSV field (RFC 4180 quoting when needed). */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export interface Ad {
  id: string;
  name: string;
  /** `name` as a CSV field (quoted when needed), computed once. */
  nameCsv: string;
  pinId: string;
}
export interface AdGroup {
  id: string;
  name: string;
  nameCsv: string;
  ads: Ad[];
}
export interface Campaign {
  id: string;
  name: string;
  nameCsv: string;
  groups: AdGroup[];
}

let idCounter = 0;
function buildCampaigns(prefix: string, spec: Array<[string, Array<[string, string[]]>]>): Campaign[] {
  // Ids come from a fixed counter through a bijective mix: stable across runs and seeds, numeric,
  // random-looking and distinct.
  const id = (len: number): string => {
    idCounter++;
    const digits = `${String(permute32(idCounter, 0x5bd1e995)).padStart(10, '0')}${String(permute32(idCounter, 0x1b873593)).padStart(10, '0')}`;
    return `${prefix}${digits}`.slice(0, len);
  };
  return spec.map(([name, groups]) => ({
    id: id(12),
    name,
    nameCsv: csvField(name),
    groups: groups.map(([gName, ads]) => ({
      id: id(13),
      name: gName,
      nameCsv: csvField(gName),
      ads: ads.map((aName) => ({ id: id(12), name: aName, nameCsv: csvField(aName), pinId: id(18) })),
    })),
  }));
}

export const PINTEREST_AD_ACCOUNT_ID = '549764106778';

export const PINTEREST_CAMPAIGNS: Campaign[] = buildCampaigns('6267', [
  ['fall_sale_2026', [
    ['Prospecting - Broad', ['Carousel - Hiking Boots', 'Video - Trail Runner 15s', 'Static - Fall Flatlay']],
    ['Retargeting - Site Visitors 30d', ['Collection - Best Sellers', 'Static - Free Returns']],
  ]],
  ['Holiday Gifts & Gear', [
    ['Interest - Outdoor & Camping', ['Idea Pin - Gift Guide', 'Collection - Stocking Stuffers']],
    ['Actalike 1% - Purchasers', ['Carousel - Gifts Under $50']],
  ]],
  ['+20% off Boots', [
    ['Keywords - winter boots', ['Promo - 20% Off, Today Only', 'Static - Snow Boot Hero']],
  ]],
  ['Always On | Catalog', [
    ['Shopping - All Products', ['Dynamic Product Ads']],
  ]],
  ['=Brand Awareness Q4', [
    ['Broad - Women 25-54', ['Video - Brand Story "Made to Roam"', 'Video - Brand Story 6s']],
  ]],
]);

const META_CAMPAIGNS: Campaign[] = buildCampaigns('2384', [
  ['FB_Prospecting_Fall_2026', [
    ['Prospecting - Broad', ['Carousel - Hiking Boots', 'UGC - Jess Review', 'Reel - Trail Day']],
    ['LAL 2% - Purchasers 180d', ['Carousel - Hiking Boots', 'Static - Fall Flatlay']],
  ]],
  ['Retargeting - DPA', [
    ['Retargeting - ATC 7d', ['DPA - Catalog', 'Static - Free Shipping']],
    ['Retargeting - Viewers 30d', ['DPA - Catalog']],
  ]],
  ['Black Friday & Cyber Monday', [
    ['Broad - US', ['+20% off Everything', 'Countdown - 48h left']],
  ]],
]);

const TIKTOK_CAMPAIGNS: Campaign[] = buildCampaigns('1780', [
  ['tt_spark_ads_fall', [
    ['Spark - Creators', ['Spark - @trailjess', 'Spark - @campwithmo']],
    ['Interest - Hiking & Camping', ['In-Feed - 9x16 Boots Demo']],
  ]],
]);

interface SearchCampaign {
  name: string;
  adGroup: string;
  terms: string[];
}
const GOOGLE_CAMPAIGNS: SearchCampaign[] = [
  { name: 'Brand - Exact', adGroup: 'Brand Terms', terms: ['acme outdoor', 'acme boots', 'acme outdoor coupon'] },
  { name: 'NB - Hiking Boots', adGroup: 'Hiking Boots - Phrase', terms: ['waterproof hiking boots', 'best hiking boots women', 'hiking boots sale'] },
  { name: 'NB - Rain Jackets', adGroup: 'Jackets & Shells', terms: ['packable rain jacket', 'mens rain shell'] },
  { name: 'Shopping - All Products', adGroup: 'All Products', terms: [''] },
];
const BING_CAMPAIGNS: SearchCampaign[] = [
  { name: 'Brand - Exact', adGroup: 'Brand Terms', terms: ['acme outdoor'] },
  { name: 'NB - Outdoor Apparel', adGroup: 'Apparel', terms: ['fleece jacket women', 'hiking pants'] },
];
const EMAIL_CAMPAIGNS = [
  'Fall Sale 2026 - Early Access',
  'Welcome Series #2',
  'Abandoned Cart - 1h',
  'Weekly Newsletter 2026-11-05',
  'Gear Guide: Rain & Wind',
  '=VIP Sneak Peek',
];
const EMAIL_CONTENT = ['hero_cta', 'product_grid', 'footer_link', 'Shop Now button'];

const PRODUCTS = [
  'trail-runner-2', 'summit-hiking-boot', 'alpine-rain-jacket', 'merino-base-layer', 'ridge-fleece',
  'canyon-daypack-24l', 'trek-poles-carbon', 'camp-mug-insulated', 'wool-hiking-socks', 'snowline-winter-boot',
  'packable-down-vest', 'trail-shorts-7in', 'sun-hoodie', 'headlamp-400', 'waterproof-gaiters',
];
const CATEGORIES = ['hiking-boots', 'jackets', 'base-layers', 'packs', 'accessories', 'sale'];
const BLOG = ['how-to-choose-hiking-boots', 'fall-layering-guide', 'best-day-hikes-2026', 'caring-for-merino'];
const INTERNAL_ONLY = ['/cart', '/checkout', '/account', '/search?q=boots', '/search?q=rain%20jacket'];

/** A page path (possibly with a non-marketing query) on the advertiser's site. */
export function drawPage(rng: Rng, landing: boolean): string {
  const r = rng.next();
  if (landing) {
    if (r < 0.16) return '/';
    if (r < 0.62) return `/p/${rng.pick(PRODUCTS)}${rng.chance(0.3) ? `?variant=${rng.int(40100, 40999)}` : ''}`;
    if (r < 0.86) return `/c/${rng.pick(CATEGORIES)}`;
    if (r < 0.94) return `/blog/${rng.pick(BLOG)}`;
    return '/collections/fall-sale';
  }
  if (r < 0.45) return `/p/${rng.pick(PRODUCTS)}`;
  if (r < 0.7) return `/c/${rng.pick(CATEGORIES)}`;
  if (r < 0.75) return '/';
  return rng.pick(INTERNAL_ONLY);
}

/** Appends a query (already encoded) to a path that may already have one. */
function withQuery(path: string, query: string): string {
  if (!query) return path;
  return `${path}${path.includes('?') ? '&' : '?'}${query}`;
}

function encodeParams(params: Array<[string, string]>): string {
  return params
    .filter(([, v]) => v !== '')
    .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
    .join('&');
}

/** A freshly drawn Pinterest click id, shaped like an `_epik` cookie value. */
export function drawEpik(rng: Rng): string {
  return `dj0yJnU9${rng.b64(32)}`;
}

/** What the generator remembers about a landing, for the Pinterest feed's click rows. */
export interface PinterestClick {
  campaign: Campaign;
  group: AdGroup;
  ad: Ad;
  epik: string | null;
}

export interface Landing {
  /** Path + query (no host). */
  pathAndQuery: string;
  referrer: string | null;
  pinterest: PinterestClick | null;
}

const ORGANIC_SEARCH_REFERRERS = weighted([
  ['https://www.google.com/', 80],
  ['https://www.bing.com/', 12],
  ['https://duckduckgo.com/', 8],
] as const);
const ORGANIC_SOCIAL_REFERRERS = weighted([
  ['https://www.pinterest.com/', 45],
  ['https://l.facebook.com/', 25],
  ['https://www.instagram.com/', 15],
  ['https://lm.facebook.com/', 5],
  ['https://t.co/', 10],
] as const);
const REFERRAL_REFERRERS = [
  'https://www.outdoorgearlab.com/reviews/shoes-boots/hiking-boots',
  'https://www.reddit.com/r/hiking/comments/1q2w3e/best_boots_for_fall/',
  'https://trailblog.example/2026/10/best-fall-hikes/',
  'https://www.rei.com/learn/expert-advice/hiking-boots.html',
  'https://news.ycombinator.com/',
];

/** Draws a landing (path + marketing query + referrer) for a session of `channel`. */
export function drawLanding(rng: Rng, channel: Channel): Landing {
  const page = drawPage(rng, true);
  switch (channel) {
    case 'direct':
      return { pathAndQuery: page, referrer: null, pinterest: null };
    case 'organic_search':
      return { pathAndQuery: page, referrer: ORGANIC_SEARCH_REFERRERS.draw(rng), pinterest: null };
    case 'organic_social':
      return { pathAndQuery: page, referrer: ORGANIC_SOCIAL_REFERRERS.draw(rng), pinterest: null };
    case 'referral':
      return { pathAndQuery: page, referrer: rng.pick(REFERRAL_REFERRERS), pinterest: null };
    case 'email': {
      const q = encodeParams([
        ['utm_source', 'klaviyo'],
        ['utm_medium', 'email'],
        ['utm_campaign', rng.pick(EMAIL_CAMPAIGNS)],
        ['utm_content', rng.chance(0.8) ? rng.pick(EMAIL_CONTENT) : ''],
        ...(rng.chance(0.5) ? [['_kx', rng.b64(22)] as [string, string]] : []),
      ]);
      return { pathAndQuery: withQuery(page, q), referrer: rng.chance(0.1) ? 'https://mail.google.com/' : null, pinterest: null };
    }
    case 'paid_search': {
      const bing = rng.chance(0.15);
      const c = rng.pick(bing ? BING_CAMPAIGNS : GOOGLE_CAMPAIGNS);
      const term = rng.pick(c.terms);
      const r = rng.next();
      const utm: Array<[string, string]> = [
        ['utm_source', bing ? 'bing' : 'google'],
        ['utm_medium', 'cpc'],
        ['utm_campaign', c.name],
        ['utm_content', c.adGroup],
        ['utm_term', term],
      ];
      const clickParam: Array<[string, string]> = [[bing ? 'msclkid' : 'gclid', bing ? rng.hex(32) : `Cj0KCQiA${rng.b64(40)}`]];
      // Half carry UTMs and a click id, a third only the auto-tagged click id, the rest only UTMs.
      const params = r < 0.5 ? [...utm, ...clickParam] : r < 0.83 ? clickParam : utm;
      const referrer = bing ? 'https://www.bing.com/' : 'https://www.google.com/';
      return { pathAndQuery: withQuery(page, encodeParams(params)), referrer, pinterest: null };
    }
    case 'paid_social': {
      const r = rng.next();
      const source = r < 0.55 ? 'facebook' : r < 0.85 ? 'instagram' : 'tiktok';
      const campaign = rng.pick(source === 'tiktok' ? TIKTOK_CAMPAIGNS : META_CAMPAIGNS);
      const group = rng.pick(campaign.groups);
      const ad = rng.pick(group.ads);
      const params: Array<[string, string]> = [
        ['utm_source', source],
        ['utm_medium', 'paid_social'],
        ['utm_campaign', campaign.name],
        ['utm_content', ad.name],
        ['utm_term', group.name],
      ];
      if (source !== 'tiktok' && rng.chance(0.5)) params.push(['fbclid', `IwAR${rng.b64(40)}`]);
      if (source === 'tiktok' && rng.chance(0.5)) params.push(['ttclid', rng.b64(32)]);
      const referrer = rng.chance(0.3)
        ? null
        : source === 'facebook' ? 'https://l.facebook.com/' : source === 'instagram' ? 'https://l.instagram.com/' : 'https://www.tiktok.com/';
      return { pathAndQuery: withQuery(page, encodeParams(params)), referrer, pinterest: null };
    }
    case 'pinterest_paid': {
      const campaign = rng.pick(PINTEREST_CAMPAIGNS);
      const group = rng.pick(campaign.groups);
      const ad = rng.pick(group.ads);
      const r = rng.next();
      // 55% UTMs only, 38% UTMs + epik, 7% only the epik click id (UTMs stripped by a redirect).
      const epik = r < 0.55 ? null : drawEpik(rng);
      const params: Array<[string, string]> = r < 0.93
        ? [
            ['utm_source', 'pinterest'],
            ['utm_medium', 'paid_social'],
            ['utm_campaign', campaign.name],
            ['utm_content', ad.name],
            ['utm_term', group.name],
          ]
        : [];
      if (epik) params.push(['epik', epik]);
      return {
        pathAndQuery: withQuery(page, encodeParams(params)),
        referrer: rng.chance(0.75) ? 'https://www.pinterest.com/' : null,
        pinterest: { campaign, group, ad, epik },
      };
    }
  }
}

/** Draws a Pinterest campaign / ad group / ad (for feed rows not tied to a site click). */
export function drawPinterestAd(rng: Rng): { campaign: Campaign; group: AdGroup; ad: Ad } {
  const campaign = rng.pick(PINTEREST_CAMPAIGNS);
  const group = rng.pick(campaign.groups);
  return { campaign, group, ad: rng.pick(group.ads) };
}

const FIRST_NAMES = ['ann', 'ben', 'carla', 'dev', 'emma', 'felix', 'grace', 'hiro', 'ines', 'jamal', 'kate', 'liam', 'maya', 'noah', 'olga', 'priya', 'quinn', 'rosa', 'sam', 'tariq'];
const LAST_NAMES = ['smith', 'garcia', 'chen', 'okafor', 'muller', 'rossi', 'nguyen', 'kowalski', 'silva', 'haddad', 'jensen', 'patel'];
const DOMAINS = ['gmail.com', 'yahoo.com', 'outlook.com', 'icloud.com', 'proton.me', 'example.com', 'hotmail.co.uk'];

/** A normalised (trimmed, lowercase) email, unique per person index. */
export function drawEmail(rng: Rng, personIndex: number): string {
  const sep = rng.pick(['.', '_', '']);
  return `${rng.pick(FIRST_NAMES)}${sep}${rng.pick(LAST_NAMES)}${personIndex}@${rng.pick(DOMAINS)}`;
}

/** The email as a user might type it: odd case, stray spaces (normalises back to `email`). */
export function messyEmail(rng: Rng, email: string): string {
  const r = rng.next();
  if (r < 0.45) return email;
  const at = email.indexOf('@');
  let local = email.slice(0, at);
  let domain = email.slice(at + 1);
  if (r < 0.7) local = local.charAt(0).toUpperCase() + local.slice(1);
  else if (r < 0.8) domain = domain.toUpperCase();
  else if (r < 0.88) local = local.toUpperCase();
  const s = `${local}@${domain}`;
  const pad = rng.next();
  return pad < 0.5 ? `${s} ` : pad < 0.75 ? ` ${s}` : pad < 0.9 ? `  ${s}  ` : s;
}
