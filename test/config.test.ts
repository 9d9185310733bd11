import { describe, expect, it } from 'vitest';
import { parseAdvertiserConfig } from '../src/config/schema.js';

function errors(raw: unknown): string[] {
  const r = parseAdvertiserConfig(raw);
  return r.ok ? [] : r.errors;
}

describe('advertiser config (SPEC §2.1)', () => {
  it('fills every default from an id alone', () => {
    const r = parseAdvertiserConfig({ id: 'acme' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.advertiser).toMatchObject({
      id: 'acme', name: 'acme', timezone: 'UTC', currency: 'USD',
      featured_conversion: { action: 'purchase', name: 'Purchase' },
      windows_days: { click: 30, engagement: 30, view: 1 }, dedupe_minutes: 30,
      pinterest: { tier_1: 'Paid Social', tier_2: 'Pinterest' }, default_rules: true,
    });
    expect(r.advertiser.rules.length).toBeGreaterThan(10);
  });

  it('names the field of each problem', () => {
    expect(errors({ id: 'acme', timezone: 'Mars/Olympus' })).toEqual(['timezone: unknown IANA time zone "Mars/Olympus"']);
    expect(errors({ id: 'acme', windows_days: { view: -1 } })).toEqual(['windows_days.view: must be 0 or more']);
    expect(errors({ id: 'acme', rules: [{ name: 'x', when: {} }] })).toEqual(['rules[0].tiers: a rule that is not `exclude: true` needs tiers']);
    expect(errors({ id: 'acme', rules: [{ name: 'x', tiers: ['a'] }] })).toEqual(['rules[0].tiers: tiers must list exactly 5 tiers (tier_1..tier_5)']);
    expect(errors({})[0]).toMatch(/^id: /);
    expect(errors({ id: 'acme', currency: 'usd' })).toEqual(['currency: must be a 3-letter ISO 4217 code such as USD']);
  });

  it('names the featured segment after the action when no name is given', () => {
    const r = parseAdvertiserConfig({ id: 'a', featured_conversion: { action: 'order_completed' } });
    expect(r.ok && r.advertiser.featured_conversion.name).toBe('Order Completed');
  });
});
