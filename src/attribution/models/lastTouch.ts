import type { AttributionModel, EligiblePath } from './model.js';

/** All credit to the last eligible touchpoint. */
export const lastTouch: AttributionModel = {
  name: 'last_touch',
  credit(path: EligiblePath, out: Float64Array): void {
    out.fill(0, 0, path.length);
    out[path.length - 1] = 1;
  },
};
