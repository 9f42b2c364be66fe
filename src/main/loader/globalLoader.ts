import { AsyncImageLoader } from './AsyncImageLoader'

let globalLoader: AsyncImageLoader<unknown> | null = null

/**
 * The process-wide loader, created and started on first call (the seed's `get_global_loader`).
 * `maxWorkers` counts on that first creation only.
 */
export function getGlobalLoader<T = unknown>(maxWorkers?: number): AsyncImageLoader<T> {
  if (!globalLoader) {
    globalLoader = new AsyncImageLoader<unknown>(maxWorkers === undefined ? {} : { maxWorkers })
    globalLoader.start()
  }
  return globalLoader as AsyncImageLoader<T>
}

/** Stops the process-wide loader; the next `getGlobalLoader` creates a new one. */
export async function stopGlobalLoader(): Promise<void> {
  const loader = globalLoader
  globalLoader = null
  if (loader) await loader.stop()
}
