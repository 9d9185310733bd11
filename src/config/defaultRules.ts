import type { RuleInput } from './schema.js';

/**
 * The mapping rules used when an advertiser's config gives none (documented in docs/mapping-rules.md).
 * Paid traffic is recognised by UTM parameters or click ids, organic traffic by the referrer.
 */
export function defaultRules(pinterestTier1: string, pinterestTier2: string): RuleInput[] {
  const utmTiers = (tier1: string, tier2: string): string[] => [tier1, tier2, '{utm_campaign}', '{utm_content}', '{utm_term}'];
  return [
    { name: 'Internal navigation', priority: 10_000, exclude: true, when: { referrer_host: '{url_host}' } },
    { name: 'Pinterest paid', priority: 1_000, when: { params: { utm_source: 'pinterest', utm_medium: '*' } }, tiers: utmTiers(pinterestTier1, pinterestTier2), platform: 'pinterest' },
    { name: 'Pinterest click id', priority: 990, when: { params: { epik: '*' } }, tiers: [pinterestTier1, pinterestTier2, '{utm_campaign}', '', ''], platform: 'pinterest' },
    { name: 'Facebook paid', priority: 900, when: { params: { utm_source: 'facebook', utm_medium: '*' } }, tiers: utmTiers('Paid Social', 'Facebook'), platform: 'facebook' },
    { name: 'Instagram paid', priority: 900, when: { params: { utm_source: 'instagram', utm_medium: '*' } }, tiers: utmTiers('Paid Social', 'Instagram'), platform: 'facebook' },
    { name: 'TikTok paid', priority: 900, when: { params: { utm_source: 'tiktok', utm_medium: '*' } }, tiers: utmTiers('Paid Social', 'TikTok'), platform: 'tiktok' },
    { name: 'Facebook click id', priority: 890, when: { params: { fbclid: '*' } }, tiers: ['Paid Social', 'Facebook', '', '', ''], platform: 'facebook' },
    { name: 'Google Ads (utm)', priority: 850, when: { params: { utm_source: 'google', utm_medium: 'cpc' } }, tiers: utmTiers('Paid Search', 'Google'), platform: 'google' },
    { name: 'Bing Ads (utm)', priority: 850, when: { params: { utm_source: 'bing', utm_medium: 'cpc' } }, tiers: utmTiers('Paid Search', 'Bing'), platform: 'bing' },
    { name: 'Google Ads click id', priority: 840, when: { params: { gclid: '*' } }, tiers: ['Paid Search', 'Google', '{utm_campaign}', '', ''], platform: 'google' },
    { name: 'Microsoft Ads click id', priority: 840, when: { params: { msclkid: '*' } }, tiers: ['Paid Search', 'Bing', '{utm_campaign}', '', ''], platform: 'bing' },
    { name: 'Email', priority: 800, when: { params: { utm_medium: 'email' } }, tiers: ['Email', '{utm_source}', '{utm_campaign}', '{utm_content}', ''], platform: 'email' },
    { name: 'Other tagged traffic', priority: 100, when: { params: { utm_source: '*' } }, tiers: ['Other Tagged', '{utm_source}', '{utm_campaign}', '{utm_content}', '{utm_term}'], platform: 'other' },
    { name: 'Google organic', priority: 50, when: { referrer_host: 'google.com' }, tiers: ['Organic Search', 'Google', '', '', ''], platform: 'google_organic' },
    { name: 'Bing organic', priority: 50, when: { referrer_host: 'bing.com' }, tiers: ['Organic Search', 'Bing', '', '', ''], platform: 'bing_organic' },
    { name: 'DuckDuckGo organic', priority: 50, when: { referrer_host: 'duckduckgo.com' }, tiers: ['Organic Search', 'DuckDuckGo', '', '', ''], platform: 'duckduckgo_organic' },
    { name: 'Pinterest organic', priority: 40, when: { referrer_host: 'pinterest.com' }, tiers: ['Organic Social', 'Pinterest', '', '', ''], platform: 'pinterest_organic' },
    { name: 'Facebook organic', priority: 40, when: { referrer_host: 'facebook.com' }, tiers: ['Organic Social', 'Facebook', '', '', ''], platform: 'facebook_organic' },
    { name: 'Instagram organic', priority: 40, when: { referrer_host: 'instagram.com' }, tiers: ['Organic Social', 'Instagram', '', '', ''], platform: 'instagram_organic' },
    { name: 'Referral', priority: 1, when: { referrer_host: '*' }, tiers: ['Referral', '{referrer_host}', '', '', ''], platform: 'referral' },
  ];
}
