/**
 * Opening rasters by URL (issue 24: Open URL…, a URL dropped or pasted, reopened after a
 * reconnection): the host reads them over HTTP (`open-url`); each opened raster is handed to the
 * session's layers in its place, as a file is (`FileOpener`), and a failure is said naming the URL.
 * The page fetches nothing itself: no preview, and no request to the server but the host's.
 */
import type { OpenedRaster } from '../../shared/protocol'
import { messageOf } from '../../shared/errors'
import type { Connection } from './Connection'
import { limitConcurrency, OPENS_AT_ONCE, REFUSED_DROP, type OpenTarget } from './openFiles'
import { urlLayerName } from './remoteUrls'

export interface UrlOpenerDeps {
  /** The host's `open-url` call. */
  openUrl(url: string): Promise<OpenedRaster>
  connection: Pick<Connection, 'refusal'>
  messages: { show(title: string, message: string, options?: { key?: string }): void }
  mark(step: string, name: string): void
  target: OpenTarget
  /** A URL opened: remembered for Open URL… (not one that failed). */
  opened?(url: string): void
  /** The URLs opening changed. */
  openingChanged(): void
}

export class UrlOpener {
  /** URLs opening now, by a key of each open: the names their layers will have. */
  private readonly opening = new Map<symbol, string>()

  constructor(private readonly deps: UrlOpenerDeps) {}

  /** Names of the URLs opening now ("dem.tif"). */
  openingNames(): string[] {
    return [...this.opening.values()]
  }

  /**
   * Opens URLs given together, a few at a time, each layer added as soon as it opens, in its place
   * in the order given (last on top). A failure says `Cannot open <url>: <why>`, and gives up its
   * place; the others open.
   */
  async open(urls: readonly string[]): Promise<void> {
    if (urls.length === 0) return
    const refusal = this.deps.connection.refusal()
    if (refusal) {
      this.deps.messages.show(`Could not open ${urls.length === 1 ? urls[0]! : `${urls.length} URLs`}`, refusal, { key: REFUSED_DROP })
      return
    }
    const { target, mark } = this.deps
    const batch = target.beginBatch(urls.length)
    const openOne = async (url: string, index: number): Promise<void> => {
      const key = Symbol(url)
      const name = urlLayerName(url)
      this.opening.set(key, name)
      this.deps.openingChanged()
      mark('dropped', name)
      let opened: OpenedRaster
      try {
        opened = await this.deps.openUrl(url)
        mark('opened', name)
      } catch (error) {
        target.failInBatch(batch, index)
        this.deps.messages.show(`Cannot open ${url}`, messageOf(error))
        return
      } finally {
        this.opening.delete(key)
        this.deps.openingChanged()
      }
      target.add(opened, batch, index, url)
      this.deps.opened?.(url)
    }
    // The top one (the last given) first, as files are: it is the one seen.
    const limit = limitConcurrency(OPENS_AT_ONCE)
    await Promise.all(urls.map((url, index) => ({ url, index })).reverse().map(({ url, index }) => limit(() => openOne(url, index))))
  }
}
