/** The decode worker pool: an executor of serialisable decode jobs on worker threads. */
export { WorkerPool, defaultPoolSize } from './WorkerPool'
export type { WorkerPoolOptions, RunOptions, WorkerPoolStats } from './WorkerPool'
export { getDefaultPools, closeDefaultPool } from './defaultPool'
export type { DecodePools } from './defaultPool'
export { abortError, isAbortError } from './errors'
export type * from './jobs'
