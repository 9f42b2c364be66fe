import { AsyncImageLoader } from './AsyncImageLoader'
import type { AsyncImageLoaderOptions } from './types'

let globalLoader: AsyncImageLoader<unknown> | null = null

/**
 * The process-wide loader, created and started on first call (the seed's `get_global_loader`).
 * `maxWorkers` (or the options: the decode pool's slots, for the tile loader) counts on that first
 * creation only. Windows and connections share it through `connect()`.
 */
export function getGlobalLoader<T = unknown>(options?: number | AsyncImageLoaderOptions): AsyncImageLoader<T> {
  if (!globalLoader) {
    globalLoader = new AsyncImageLoader<unknown>(typeof options === 'number' ? { maxWorkers: options } : (options ?? {}))
    globalLoader.start()
  }
  return globalLoader as AsyncImageLoader<T>
}

/**
 * Stops the process-wide loader (every callback gets null; loads that ignore their signal are
 * abandoned after its grace time); the next `getGlobalLoader` creates a new one.
 */
export async function stopGlobalLoader(): Promise<void> {
  const loader = globalLoader
  globalLoader = null
  if (loader) await loader.stop()
}
