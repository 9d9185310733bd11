import type { BucketRow } from './bucketsBreakdown.js';

export interface ChannelTotals {
  channel: string;
  first_touch: number; last_touch: number; even: number; normalized: number;
  revenue_first_touch: number; revenue_last_touch: number; revenue_even: number; revenue_normalized: number;
}

const FIGURES = ['first_touch', 'last_touch', 'even', 'normalized', 'revenue_first_touch', 'revenue_last_touch', 'revenue_even', 'revenue_normalized'] as const;

/** Rolls Buckets Breakdown rows up to tier_1 (channel), largest by even revenue first, plus a total row. */
export function channelTotals(rows: readonly BucketRow[]): { channels: ChannelTotals[]; total: ChannelTotals } {
  const byChannel = new Map<string, ChannelTotals>();
  const blank = (channel: string): ChannelTotals => ({ channel, first_touch: 0, last_touch: 0, even: 0, normalized: 0, revenue_first_touch: 0, revenue_last_touch: 0, revenue_even: 0, revenue_normalized: 0 });
  const total = blank('Total');
  for (const row of rows) {
    let t = byChannel.get(row.tier_1);
    if (!t) byChannel.set(row.tier_1, (t = blank(row.tier_1)));
    for (const f of FIGURES) {
      t[f] += row[f];
      total[f] += row[f];
    }
  }
  const channels = [...byChannel.values()].sort((a, b) => b.revenue_even - a.revenue_even || a.channel.localeCompare(b.channel));
  return { channels, total };
}
