/** The four attribution models, in report column order (SPEC §5.4). */
export const MODEL_NAMES = ['first_touch', 'last_touch', 'even', 'normalized'] as const;
export type ModelName = (typeof MODEL_NAMES)[number];

/** A conversion's eligible touchpoints in chronological order, as the models see them. */
export interface EligiblePath {
  /** number of eligible touchpoints (≥ 1; the Direct row is handled by the engine) */
  readonly length: number;
  /** the regression bucket of each eligible touchpoint (see normalized.ts) */
  readonly buckets: Int32Array;
}

/** A model writes credits for path positions 0..length-1 into out; they sum to 1. */
export interface AttributionModel {
  readonly name: ModelName;
  credit(path: EligiblePath, out: Float64Array): void;
}
