/** The demo's fixed period, so the same seed always tells the same story. */
export const DEMO_PERIOD = { endDate: '2026-11-30', days: 90 } as const;

/** YYYY-MM-DD plus n days. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

export const DEMO_FROM = addDays(DEMO_PERIOD.endDate, -(DEMO_PERIOD.days - 1));
