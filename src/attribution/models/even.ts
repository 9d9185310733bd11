import type { AttributionModel, EligiblePath } from './model.js';

/** 1/n to each of the n eligible touchpoints. */
export const even: AttributionModel = {
  name: 'even',
  credit(path: EligiblePath, out: Float64Array): void {
    const share = 1 / path.length;
    out.fill(share, 0, path.length);
  },
};
