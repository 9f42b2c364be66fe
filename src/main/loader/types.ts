import { ImageLoadPriority } from '../../shared/priority'

/** One load, as the seed's `ImageLoadRequest`, plus the texture it belongs to and a finer rank. */
export interface LoadRequest<T> {
  /** Unique; used for deduplication. */
  id: string
  /** The texture (layer) the request belongs to; `cancelObsoleteForTexture` works per texture. */
  textureId: string
  /** The seed's `loader_func`: produces the image, or null. Should stop early when `signal` aborts. */
  load: (signal: AbortSignal) => Promise<T | null> | T | null
  /** Called exactly once per schedule call: with the result, or null (with the error when the load failed). */
  callback: (result: T | null, error?: Error) => void
  /** Default NORMAL. */
  priority?: ImageLoadPriority
  /** Finer order inside a priority, lower first (e.g. distance to the view centre); default 0, then FIFO. */
  rank?: number
  bounds?: readonly [xmin: number, xmax: number, ymin: number, ymax: number]
  /**
   * Where the load spends its time. 'decode' (default): a worker of `slots`, bounded by `maxWorkers`
   * and the client's `maxActive`. 'network': waiting on a server, holding no worker (a web map
   * tile passed through as the server's bytes), bounded by `networkLoads` alone: on a 2-core host
   * two decode lanes let two 50 ms tile requests run at once where a browser runs six per host.
   */
  lane?: LoadLane
}

/** The two kinds of load (see `LoadRequest.lane`). */
export type LoadLane = 'decode' | 'network'

export interface AsyncImageLoaderOptions {
  /** Loads running at once; default 4. */
  maxWorkers?: number
  /** 'network' loads running at once, beside the others; default 32, a view's tiles (the HTTP client's per-host limit bounds each server: six on HTTP/1.1, its streams on HTTP/2). */
  networkLoads?: number
  /**
   * The executor the loads run on, when it is shared or smaller than `maxWorkers` (the decode
   * pool): a load starts only when it has a free slot, so that it never queues work of its own.
   */
  slots?: LoadSlots
  /**
   * How long `stop()` and a client's `close()` wait for aborted loads to end before abandoning
   * those that ignore their signal (their results are discarded); default 1000 ms.
   */
  stopGraceMs?: number
  /**
   * Where errors thrown by callbacks of the loader's own client go (they never break the loader).
   * Default: console.error.
   */
  onCallbackError?: (error: unknown, requestId: string) => void
  /**
   * Keeps the pending requests of the loader's own client in a second order, least urgent first,
   * so that `cancelLeastUrgent` (a queue cap) costs O(log n) per request dropped. Default false:
   * every queue operation then costs one heap operation, not two.
   */
  trackLeastUrgent?: boolean
}

/** Options of one client of a loader (`AsyncImageLoader.connect`). */
export interface LoaderClientOptions {
  /** Loads of this client running at once, at most (a per-connection cap); default no cap but the loader's. */
  maxActive?: number
  /** As `AsyncImageLoaderOptions.onCallbackError`, for this client's callbacks. */
  onCallbackError?: (error: unknown, requestId: string) => void
  /** As `AsyncImageLoaderOptions.trackLeastUrgent`, for this client's queue. */
  trackLeastUrgent?: boolean
  /**
   * While this returns true the client starts no load (its requests stay queued, cancellable for
   * free): e.g. while what it already decoded waits to be sent. Call `resume()` when it turns false.
   */
  paused?: () => boolean
}

/**
 * Slots of the executor that loads run on (a worker pool): a slot is free when a worker is idle
 * and nothing else waits for it. A cancelled job keeps its slot until its worker is done. A load
 * should hand its job to the executor before its first `await` (`Raster.readTile` does): the
 * loader then sees the slot taken before it starts the next load. One that awaits first may let
 * the loader start one load too many, whose job then waits in the executor's line, still in the
 * loader's order.
 */
export interface LoadSlots {
  /** Loads that may start now. */
  readonly freeSlots: number
  /** Calls `listener` whenever a slot may have become free; returns a function that stops it. */
  onSlotFreed(listener: () => void): () => void
}

/** Counters since construction, for stats and tests. */
export interface LoaderCounters {
  scheduled: number
  completed: number
  failed: number
  cancelled: number
}
