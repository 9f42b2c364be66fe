/**
 * The process-wide pools: tile workers, and a separate background lane for long jobs (pyramid
 * builds) so they never hold back visible tiles. Whoever makes them names the worker they run (the
 * raster sources: `getDefaultPools` of `raster/decodePools.ts`, which `openRaster(path)` uses when it
 * is given no pools). Their workers start when the pools are first asked for (so that the first
 * open does not pay for thread start-up and sharp's loading), and idle workers do not keep the
 * process alive. `sharedTileSlots` is the tile lane as the process-wide tile loader sees it.
 */
import { stopGlobalLoader } from '../loader/globalLoader'
import type { LoadSlots } from '../loader/types'
import { availableParallelism } from 'node:os'
import { WorkerPool, defaultPoolSize, type PoolWorker } from './WorkerPool'
import type { PoolJob } from './workerMessages'

/** The two lanes of the process. */
export interface SharedPools<Job extends PoolJob> {
  /** Tiles, probes, overviews: short jobs. */
  tiles: WorkerPool<Job>
  /** Pyramid builds: long jobs, up to one per core (`backgroundPoolSize`). */
  background: WorkerPool<Job>
}

/** The shared pools, and the worker they run (the one their jobs are typed by: `getSharedPools` checks it). */
let shared: { worker: unknown; pools: SharedPools<PoolJob> } | null = null
const slotListeners = new Set<() => void>()

/** Size of the shared tile pool: TESSERA_POOL_SIZE when set, else every core (at least 2). */
export function tilePoolSize(): number {
  const fromEnv = Number(process.env.TESSERA_POOL_SIZE)
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : defaultPoolSize()
}

/**
 * Size of the shared background pool: one worker per core, so that the pyramids of files dropped
 * together build in parallel (issue 14: one at a time, the fifth of five waited for four builds).
 * TESSERA_BACKGROUND_POOL_SIZE overrides it.
 */
export function backgroundPoolSize(): number {
  const fromEnv = Number(process.env.TESSERA_BACKGROUND_POOL_SIZE)
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : Math.max(1, availableParallelism())
}

/**
 * The shared pools running `worker`, created (and their workers started) on first call. The process
 * has one pair: asking for them with another worker than the one they run throws.
 */
export function getSharedPools<Job extends PoolJob>(worker: PoolWorker<Job>): SharedPools<Job> {
  if (!shared) {
    const pools: SharedPools<Job> = {
      tiles: new WorkerPool({ worker, size: tilePoolSize(), name: 'tile pool' }),
      background: new WorkerPool({ worker, size: backgroundPoolSize(), name: 'background pool' })
    }
    pools.tiles.onSlotFreed(() => {
      for (const listener of slotListeners) listener()
    })
    pools.tiles.warm()
    pools.background.warm()
    shared = { worker, pools: pools as unknown as SharedPools<PoolJob> }
  } else if (shared.worker !== worker) {
    throw new Error(`The shared pools run another worker than ${String(worker.script)}: a process has one pair`)
  }
  return shared.pools as unknown as SharedPools<Job>
}

/**
 * The free workers of the shared tile pool, whichever pool that is now (it is made again after
 * `closeDefaultPool`), without creating it: before it exists, every one of its workers is free.
 * The process-wide tile loader starts a tile only when one is free, so tiles never wait in the pool.
 */
export const sharedTileSlots: LoadSlots = {
  get freeSlots(): number {
    return shared ? shared.pools.tiles.freeSlots : tilePoolSize()
  },
  onSlotFreed(listener: () => void): () => void {
    slotListeners.add(listener)
    return () => slotListeners.delete(listener)
  }
}

/**
 * Closes the shared pools (their jobs reject) after stopping the process-wide loader that runs on
 * them (every callback gets null; a load that ignores its signal is abandoned after the loader's
 * grace time, so quitting never hangs on one). The next `getSharedPools()` makes new pools, the
 * next `getGlobalLoader()` a new loader. Idempotent.
 */
export async function closeDefaultPool(): Promise<void> {
  await stopGlobalLoader()
  const pools = shared?.pools
  shared = null
  for (const listener of slotListeners) listener()
  if (pools) await Promise.all([pools.tiles.close(), pools.background.close()])
}
