import { even } from './even.js';
import type { AttributionModel, EligiblePath } from './model.js';

/**
 * The modeled multi-touch model: each eligible touchpoint weighs its bucket's positive
 * regression coefficient (see logistic.ts); weights are normalised within the path.
 * When no eligible touchpoint has a positive weight, the path is credited evenly.
 */
export function normalizedModel(bucketWeights: Float64Array): AttributionModel {
  return {
    name: 'normalized',
    credit(path: EligiblePath, out: Float64Array): void {
      let total = 0;
      for (let i = 0; i < path.length; i++) {
        const w = bucketWeights[path.buckets[i]] ?? 0;
        const positive = w > 0 ? w : 0;
        out[i] = positive;
        total += positive;
      }
      if (!(total > 0)) {
        even.credit(path, out);
        return;
      }
      for (let i = 0; i < path.length; i++) out[i] /= total;
    },
  };
}
