/**
 * The decode pools: WorkerPools running the decode worker (`decode/decode.worker.ts`), and where
 * each decode job waits in their line. The pool itself knows jobs, not rasters; this is where the
 * raster sources tell it which script its workers run and how urgent each kind of job is.
 */
import { getSharedPools, type SharedPools } from '../pool/defaultPool'
import { LinePriority } from '../pool/PoolLine'
import { WorkerPool, type PoolWorker, type WorkerPoolOptions } from '../pool/WorkerPool'
import decodeWorkerPath from './decode/decode.worker?modulePath'
import type { DecodeJob } from './decode/jobs'
import { answerDecodeQuestion } from './remoteFiles'

/** A pool of decode workers. */
export type DecodePool = WorkerPool<DecodeJob>

/** The two lanes of decoding: tiles, probes and overviews; pyramid builds apart. */
export type DecodePools = SharedPools<DecodeJob>

/** Jobs that make one tile (a few ms each): what the loader starts. */
const TILE_JOBS: ReadonlySet<DecodeJob['kind']> = new Set(['region', 'cut', 'jpeg-tile', 'decode-image'])

/**
 * A decode job's place in its pool's line: a probe before everything else (issue 14: a fifth probe
 * waited ~1 s behind four overviews), then tiles, then long decodes (an overview of a file opening).
 */
export function linePriority(job: DecodeJob): number {
  // Reading where a remote file's blocks are stored is part of its open: a person waits for it.
  if (job.kind === 'probe' || job.kind === 'block-index') return LinePriority.probe
  return TILE_JOBS.has(job.kind) ? LinePriority.tile : LinePriority.decode
}

/**
 * The decode worker as a pool runs it. Its script is the bundled worker's chunk (electron-vite's
 * `?modulePath`: a path beside the main bundle, in development, `out/main` and `npm run serve`
 * alike), or the TypeScript source under Vitest (`vitest.config.ts`), started through tsx. Its jobs
 * ask the main thread for the bytes of files on servers (`remoteFiles.ts` answers).
 */
export const decodeWorker: PoolWorker<DecodeJob> = { script: decodeWorkerPath, linePlace: linePriority, answer: answerDecodeQuestion }

/** A pool of decode workers (tests, benchmarks, a caller that wants its own lane). */
export function createDecodePool(options: Omit<WorkerPoolOptions<DecodeJob>, 'worker'> = {}): DecodePool {
  return new WorkerPool({ ...options, worker: decodeWorker })
}

/** The process-wide decode pools, created (and their workers started) on first call; `closeDefaultPool` closes them. */
export function getDefaultPools(): DecodePools {
  return getSharedPools(decodeWorker)
}
