/** The worker pool: an executor of serialisable jobs on worker threads; what the jobs compute is its creator's business. */
export { WorkerPool, defaultPoolSize } from './WorkerPool'
export type { PoolWorker, WorkerPoolOptions, RunOptions, WorkerPoolStats } from './WorkerPool'
export { DECODE_YIELD_MS, LinePriority, PoolLine } from './PoolLine'
export type { LineKind, LinePlace, PoolLineOptions } from './PoolLine'
export { getSharedPools, closeDefaultPool, sharedTileSlots, tilePoolSize, backgroundPoolSize } from './defaultPool'
export type { SharedPools } from './defaultPool'
export { abortError, isAbortError } from './errors'
export type * from './workerMessages'
