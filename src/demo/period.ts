import { addDays } from '../integrations/pinterest/time.js';

/** The demo's fixed period, so the same seed always tells the same story. */
export const DEMO_PERIOD = { endDate: '2026-11-30', days: 90 } as const;


export const DEMO_FROM = addDays(DEMO_PERIOD.endDate, -(DEMO_PERIOD.days - 1));
