import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runDemo } from '../src/demo/run.js';
import '../src/integrations/index.js';

const dir = mkdtempSync(join(tmpdir(), 'touchline-demo-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('touchline demo (small)', () => {
  it('runs end to end, both segments reconcile, and the daily report holds only Pinterest rows', async () => {
    const result = await runDemo({ dir: join(dir, 'demo'), persons: 1500, seed: 3 });
    expect(result.ingest.rejected).toBe(0);
    expect(result.ingest.duplicates).toBe(0);
    const [base, pin] = result.segments;
    expect(base.name).toBe('Purchase');
    expect(pin.name).toBe('Purchase - Pinterest');
    // every model hands out exactly one credit per purchase, in both segments, and the same revenue
    // (report rows carry 6 decimals, so a sum over rows may drift by up to 5e-7 a row)
    expect(Number.isInteger(base.total.first_touch)).toBe(true);
    for (const seg of [base, pin]) {
      for (const k of ['first_touch', 'last_touch', 'even', 'normalized'] as const) {
        expect(seg.total[k]).toBeCloseTo(base.total.first_touch, 3);
        expect(seg.total[`revenue_${k}`]).toBeCloseTo(base.total.revenue_first_touch, 2);
      }
    }
    // counting views and engagements can only add Pinterest touchpoints to paths
    expect(pin.pinterest.first_touch + pin.pinterest.last_touch).toBeGreaterThanOrEqual(base.pinterest.first_touch + base.pinterest.last_touch - 1e-9);
    if ('skipped' in result.pinterest) throw new Error(`Pinterest part skipped: ${result.pinterest.skipped}`);
    expect(result.pinterest.tag_check.status).toBe('ok');
    expect(result.pinterest.feed.files).toBe(90);
    const report = readFileSync(result.pinterest.report.path!, 'utf8').trim().split('\n');
    expect(report[0]).toBe('date,segment,tier_1,tier_2,tier_3,tier_4,tier_5,platform,first_touch,last_touch,even,normalized,revenue_first_touch,revenue_last_touch,revenue_even,revenue_normalized');
    for (const line of report.slice(1)) {
      expect(line.startsWith('2026-11-30,Purchase - Pinterest,')).toBe(true);
      expect(line).toMatch(/,pinterest,[\d.]+,/);
    }
    expect(existsSync(result.db)).toBe(true);
  });
});
