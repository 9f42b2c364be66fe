/**
 * What crosses between a WorkerPool and its workers, whatever they compute: a job is plain data
 * (structured-clonable) with a `kind`, its result comes back as plain data with buffers
 * transferred, and a worker reports progress and errors by message. The jobs themselves are the
 * business of whoever gives the pool its worker script (the decode jobs: `raster/decode/jobs.ts`).
 */

/** The least a job is: its kind names it in errors ("a worker … exited while running a probe job"). */
export interface PoolJob {
  readonly kind: string
}

/** Test hooks, honoured only by workers started with `testHooks: true` (`serveJobs`). */
export type TestJob =
  | { kind: 'test:exit'; code: number }
  | { kind: 'test:throw'; message: string }
  | { kind: 'test:sleep'; ms: number }
  | { kind: 'test:echo'; value: unknown }

/** Messages from a worker to the pool. */
export type WorkerMessage =
  | { type: 'result'; id: number; value: unknown }
  | { type: 'error'; id: number; name: string; message: string }
  | { type: 'progress'; id: number; value: number }

/** Messages from the pool to a worker. */
export interface WorkerRequest<Job extends PoolJob = PoolJob> {
  id: number
  job: Job
}
