import type { Store } from '../store/db.js';

/** Progress of a long step, for a terminal progress line. `fraction` is 0..1 when known. */
export type ProgressFn = (step: string, fraction?: number) => void;

/** One step of an ingestion pipeline: reads and writes temp tables, returns nothing. */
export interface PipelineStep<C> {
  readonly name: string;
  run(store: Store, ctx: C): Promise<void>;
}

/**
 * Runs steps in order inside one transaction: either every step's writes land or none do.
 * While a step runs, DuckDB's query progress is reported through `onProgress`.
 */
export async function runPipeline<C>(store: Store, steps: readonly PipelineStep<C>[], ctx: C, onProgress?: ProgressFn): Promise<void> {
  await store.transaction(async () => {
    for (const step of steps) {
      onProgress?.(step.name);
      const timer = onProgress ? setInterval(() => {
        const p = store.conn.progress;
        if (p && p.percentage >= 0) onProgress(step.name, Math.min(1, p.percentage / 100));
      }, 200) : undefined;
      try {
        await step.run(store, ctx);
      } finally {
        if (timer) clearInterval(timer);
      }
    }
  });
}
