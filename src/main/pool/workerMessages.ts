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
  /** Asks the main thread each question in turn (`askMain`) and returns the answers (an error as `{ error: name }`). */
  | { kind: 'test:ask'; questions: unknown[] }

/** Messages from a worker to the pool. */
export type WorkerMessage =
  | { type: 'result'; id: number; value: unknown }
  | { type: 'error'; id: number; name: string; message: string }
  | { type: 'progress'; id: number; value: number }
  /** A question of the worker running job `id` to the main thread (`askMain`), answered by `askId`. */
  | { type: 'ask'; id: number; askId: number; question: unknown }

/** An error as it crosses between threads: its name (AbortError, FileChangedError…) and message. */
export interface CrossedError {
  name: string
  message: string
}

/** The main thread's answer to a worker's question: a value (its buffers transferred), or an error. */
export type AnswerMessage = { type: 'answer'; askId: number; value: unknown } | { type: 'answer'; askId: number; error: CrossedError }

/** A job for a worker to run. */
export interface WorkerRequest<Job extends PoolJob = PoolJob> {
  id: number
  job: Job
}

/** Messages from the pool to a worker: a job to run, or the answer to a question of the job it runs. */
export type PoolMessage<Job extends PoolJob = PoolJob> = WorkerRequest<Job> | AnswerMessage

/** What an answer handler gives back: the value, and the buffers to transfer with it (not copied). */
export interface Answer {
  value: unknown
  transfer?: ArrayBuffer[]
}

/**
 * Answers the questions workers ask while running a job (`askMain`), on the main thread. `signal`
 * is the job's: aborted when the job is cancelled or ends, so that work done for it (a range
 * request) stops. The pool knows nothing of the questions: its creator gives the handler.
 */
export type AnswerHandler = (question: unknown, signal: AbortSignal) => Promise<Answer>
