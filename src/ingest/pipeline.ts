import type { Store } from '../store/db.js';

/** How many rejected lines an ingestion summary keeps for display (all of them go to a rejects file when asked). */
export const REJECTS_SHOWN = 20;

/** Progress of a long step, for a terminal progress line. `fraction` is 0..1 when known. */
export type ProgressFn = (step: string, fraction?: number) => void;

/**
 * One step of an ingestion pipeline. `stage` steps only build session-local temp tables (read, parse,
 * validate, dedupe); `commit` steps write the database's tables.
 */
export interface PipelineStep<C> {
  readonly name: string;
  readonly phase: 'stage' | 'commit';
  run(store: Store, ctx: C): Promise<void>;
}

/**
 * Runs the stage steps, then every commit step inside one transaction: either all of the commit
 * steps' writes land or none do (staging outside the transaction is about twice as fast in DuckDB,
 * and touches nothing another reader can see). While a step runs, DuckDB's query progress is
 * reported through `onProgress`.
 */
export async function runPipeline<C>(store: Store, steps: readonly PipelineStep<C>[], ctx: C, onProgress?: ProgressFn): Promise<void> {
  if (onProgress) {
    // DuckDB tracks a query's progress only when its progress bar is on (printing it stays off)
    await store.run('SET enable_progress_bar = true');
    await store.run('SET enable_progress_bar_print = false');
  }
  const firstCommit = steps.findIndex((s) => s.phase === 'commit');
  if (steps.slice(firstCommit).some((s) => s.phase === 'stage')) throw new Error('stage steps must come before commit steps');
  await runSteps(store, steps.slice(0, firstCommit < 0 ? steps.length : firstCommit), ctx, onProgress);
  if (firstCommit >= 0) await store.transaction(() => runSteps(store, steps.slice(firstCommit), ctx, onProgress));
}

async function runSteps<C>(store: Store, steps: readonly PipelineStep<C>[], ctx: C, onProgress?: ProgressFn): Promise<void> {
  {
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
  }
}
