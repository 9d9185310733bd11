import { z } from 'zod';
import { defaultRules } from './defaultRules.js';

function isTimezone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const hostField = z.string().transform((h) => h.trim().toLowerCase());

export const ruleSchema = z.object({
  name: z.string().min(1, 'a rule needs a name'),
  priority: z.number().finite().default(0),
  exclude: z.boolean().default(false),
  when: z.object({
    params: z.record(z.string(), z.string()).optional(),
    referrer_host: hostField.optional(),
    url_host: hostField.optional(),
    url_path_prefix: z.string().optional(),
  }).strict().default({}),
  tiers: z.array(z.string()).length(5, 'tiers must list exactly 5 tiers (tier_1..tier_5)').optional(),
  platform: z.string().optional(),
}).strict().superRefine((rule, ctx) => {
  if (!rule.exclude && !rule.tiers) {
    ctx.addIssue({ code: 'custom', path: ['tiers'], message: 'a rule that is not `exclude: true` needs tiers' });
  }
  if (rule.tiers && !rule.exclude && rule.tiers[0].trim() === '') {
    ctx.addIssue({ code: 'custom', path: ['tiers', 0], message: 'tier_1 (the channel) must not be empty' });
  }
});

const nonNegativeDays = z.number().finite().min(0, 'must be 0 or more');

export const advertiserConfigSchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'must be 1-64 letters, digits, "_", "-" or "." (starting with a letter or digit)'),
  name: z.string().min(1).optional(),
  timezone: z.string().refine(isTimezone, { error: (issue) => `unknown IANA time zone "${String(issue.input)}"` }).default('UTC'),
  currency: z.string().regex(/^[A-Z]{3}$/, 'must be a 3-letter ISO 4217 code such as USD').default('USD'),
  featured_conversion: z.object({
    action: z.string().min(1),
    name: z.string().min(1).optional(),
  }).strict().default({ action: 'purchase', name: 'Purchase' }),
  windows_days: z.object({
    click: nonNegativeDays.default(30),
    engagement: nonNegativeDays.default(30),
    view: nonNegativeDays.default(1),
  }).strict().default({ click: 30, engagement: 30, view: 1 }),
  dedupe_minutes: z.number().finite().min(0, 'must be 0 or more').default(30),
  rules: z.array(ruleSchema).optional(),
  pinterest: z.object({
    tier_1: z.string().min(1).default('Paid Social'),
    tier_2: z.string().min(1).default('Pinterest'),
    report_due_hour: z.number().int().min(0).max(23).default(12),
  }).strict().default({ tier_1: 'Paid Social', tier_2: 'Pinterest', report_due_hour: 12 }),
}).strict();

export type Rule = z.output<typeof ruleSchema>;
export type RuleInput = z.input<typeof ruleSchema>;

/** A validated advertiser with every default filled in. */
export interface Advertiser {
  id: string;
  name: string;
  timezone: string;
  currency: string;
  featured_conversion: { action: string; name: string };
  windows_days: { click: number; engagement: number; view: number };
  dedupe_minutes: number;
  rules: Rule[];
  /** true when the config gave no rules and the shipped defaults apply */
  default_rules: boolean;
  pinterest: { tier_1: string; tier_2: string; report_due_hour: number };
}

/** Validates a parsed config; returns the advertiser or the list of "field: problem" messages. */
export function parseAdvertiserConfig(raw: unknown): { ok: true; advertiser: Advertiser } | { ok: false; errors: string[] } {
  const result = advertiserConfigSchema.safeParse(raw);
  if (!result.success) {
    return {
      ok: false,
      errors: result.error.issues.map((issue) => `${formatPath(issue.path) || '(top level)'}: ${issue.message}`),
    };
  }
  const c = result.data;
  const featuredName = c.featured_conversion.name ?? titleCase(c.featured_conversion.action);
  const rules = c.rules ?? defaultRules(c.pinterest.tier_1, c.pinterest.tier_2);
  return {
    ok: true,
    advertiser: {
      id: c.id,
      name: c.name ?? c.id,
      timezone: c.timezone,
      currency: c.currency,
      featured_conversion: { action: c.featured_conversion.action, name: featuredName },
      windows_days: c.windows_days,
      dedupe_minutes: c.dedupe_minutes,
      rules: rules.map((r) => ruleSchema.parse(r)),
      default_rules: c.rules === undefined,
      pinterest: c.pinterest,
    },
  };
}

function titleCase(action: string): string {
  return action.replace(/[_-]+/g, ' ').replace(/\b\w/g, (ch) => ch.toUpperCase());
}

function formatPath(path: PropertyKey[]): string {
  return path.reduce<string>((acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key)), '');
}
