import type { AttributionModel, EligiblePath } from './model.js';

/** All credit to the first eligible touchpoint. */
export const firstTouch: AttributionModel = {
  name: 'first_touch',
  credit(path: EligiblePath, out: Float64Array): void {
    out.fill(0, 0, path.length);
    out[0] = 1;
  },
};
