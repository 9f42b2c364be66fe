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
}

export interface AsyncImageLoaderOptions {
  /** Loads running at once; default 4. */
  maxWorkers?: number
  /**
   * Where errors thrown by callbacks go (they never break the loader). Default: console.error.
   */
  onCallbackError?: (error: unknown, requestId: string) => void
  /**
   * Keeps the pending requests in a second order, least urgent first, so that
   * `cancelLeastUrgent` (a queue cap) costs O(log n) per request dropped. Default false: every
   * queue operation then costs one heap operation, not two.
   */
  trackLeastUrgent?: boolean
}

/** Counters since construction, for stats and tests. */
export interface LoaderCounters {
  scheduled: number
  completed: number
  failed: number
  cancelled: number
}
