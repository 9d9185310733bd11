/**
 * L2-regularised logistic regression on binary features, fitted by Newton's method (IRLS).
 *
 * Each row (a person) lists the feature indices that are 1 (exposure to a bucket); all other
 * features are 0. The model is P(y=1) = σ(b0 + Σ_k β_k x_k). The intercept b0 is not penalised; the
 * coefficients are, by λ/2·Σβ². Newton steps solve (XᵀWX + λI') Δ = Xᵀ(y−p) − λβ' exactly
 * (Cholesky; the system is (K+1)×(K+1) with K buckets), until the largest step is below `tolerance`.
 */
export interface LogisticFit {
  intercept: number;
  coefficients: Float64Array;
  iterations: number;
  converged: boolean;
}

export interface BinaryDesign {
  /** number of features K */
  features: number;
  /** row r's active features are indices[offsets[r] .. offsets[r+1]) */
  offsets: Int32Array;
  indices: Int32Array;
  /** labels (0 or 1), one per row */
  labels: Uint8Array;
}

export function fitLogistic(design: BinaryDesign, opts: { lambda?: number; maxIterations?: number; tolerance?: number } = {}): LogisticFit {
  const lambda = opts.lambda ?? 1;
  const maxIterations = opts.maxIterations ?? 50;
  const tolerance = opts.tolerance ?? 1e-8;
  const K = design.features;
  const D = K + 1; // position 0 is the intercept
  const rows = design.labels.length;
  const beta = new Float64Array(D);
  const hessian = new Float64Array(D * D);
  const gradient = new Float64Array(D);
  let iterations = 0;
  let converged = false;

  for (; iterations < maxIterations && !converged; iterations++) {
    hessian.fill(0);
    gradient.fill(0);
    for (let r = 0; r < rows; r++) {
      const start = design.offsets[r];
      const end = design.offsets[r + 1];
      let eta = beta[0];
      for (let j = start; j < end; j++) eta += beta[design.indices[j] + 1];
      const p = 1 / (1 + Math.exp(-eta));
      const w = Math.max(p * (1 - p), 1e-12);
      const residual = design.labels[r] - p;
      gradient[0] += residual;
      hessian[0] += w;
      for (let j = start; j < end; j++) {
        const a = design.indices[j] + 1;
        gradient[a] += residual;
        hessian[a] += w; // row 0, column a (filled symmetric below)
        for (let k = start; k < end; k++) hessian[a * D + design.indices[k] + 1] += w;
      }
    }
    for (let a = 1; a < D; a++) {
      hessian[a * D] = hessian[a];
      hessian[a * D + a] += lambda;
      gradient[a] -= lambda * beta[a];
    }
    const step = solveSymmetric(hessian, gradient, D);
    let largest = 0;
    for (let a = 0; a < D; a++) {
      beta[a] += step[a];
      largest = Math.max(largest, Math.abs(step[a]));
    }
    converged = largest < tolerance;
  }
  return { intercept: beta[0], coefficients: beta.slice(1), iterations, converged };
}

/** Solves A x = b for a symmetric positive-definite A (row-major D×D) by Cholesky. */
export function solveSymmetric(A: Float64Array, b: Float64Array, D: number): Float64Array {
  const L = new Float64Array(D * D);
  for (let i = 0; i < D; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = A[i * D + j];
      for (let k = 0; k < j; k++) sum -= L[i * D + k] * L[j * D + k];
      if (i === j) L[i * D + i] = Math.sqrt(Math.max(sum, 1e-300));
      else L[i * D + j] = sum / L[j * D + j];
    }
  }
  const y = new Float64Array(D);
  for (let i = 0; i < D; i++) {
    let sum = b[i];
    for (let k = 0; k < i; k++) sum -= L[i * D + k] * y[k];
    y[i] = sum / L[i * D + i];
  }
  const x = new Float64Array(D);
  for (let i = D - 1; i >= 0; i--) {
    let sum = y[i];
    for (let k = i + 1; k < D; k++) sum -= L[k * D + i] * x[k];
    x[i] = sum / L[i * D + i];
  }
  return x;
}
