/**
 * Opening STAC documents (issue 25), the session's side: which URLs and dropped files are taken as
 * STAC (a `.json` address, a `.json` file), the host's `stac-read` of them (the host fetches: the
 * page never does), and the chosen assets opened as layers: an asset at a URL by `open-url` (the
 * host's range reader), an asset on the host's disk by its path, as a file is. No DOM here.
 */
import type { OpenedRaster } from '../../shared/protocol'
import { messageOf } from '../../shared/errors'
import { STAC_LIMITS, type StacAsset, type StacDocument } from '../../shared/stac'

export interface StacOpenerDeps {
  /** The host's `stac-read`. */
  read(params: { href: string; first?: number; text?: string }): Promise<StacDocument>
  /** Opens http(s) URLs as layers (the session's URL opener: places, failures named by URL). */
  openUrls(urls: string[]): Promise<void>
  /** Opens a path on the host's disk (the host's `open`), and adds the layer. */
  openPath(path: string, name: string): Promise<OpenedRaster>
  /** Shows a document read (the STAC browser). */
  show(document: StacDocument, source: StacSource): void
  messages: { show(title: string, message: string): void }
}

/** Where a document shown came from, to read its next page. */
export type StacSource = { href: string; text?: string }

/** True for an address or file name Tessera takes as a STAC document: it ends in `.json` (query and fragment aside). */
export function looksLikeStac(text: string): boolean {
  return /\.json$/i.test(text.trim().split(/[?#]/)[0]!)
}

/** The assets to open of those chosen: the openable ones, each once, in the order given. */
export function assetsToOpen(chosen: readonly StacAsset[]): { urls: string[]; paths: string[] } {
  const urls: string[] = []
  const paths: string[] = []
  for (const asset of chosen) {
    if (!asset.openable) continue
    const list = asset.location === 'url' ? urls : asset.location === 'path' ? paths : null
    if (list && !list.includes(asset.href)) list.push(asset.href)
  }
  return { urls, paths }
}

export class StacOpener {
  constructor(private readonly deps: StacOpenerDeps) {}

  /** Reads the document at `href` (a URL) and shows it; a failure is said naming it. */
  async openHref(href: string): Promise<StacDocument | null> {
    return this.read({ href })
  }

  /**
   * Reads a dropped `.json` file: by its path when the host gives one (its relative hrefs then
   * lead to the files beside it), else sent as text (a browser: only absolute URLs lead anywhere).
   */
  async openFile(file: File, path: string | null): Promise<StacDocument | null> {
    if (path) return this.read({ href: path })
    if (file.size > STAC_LIMITS.maxDocumentText) {
      this.deps.messages.show(`Cannot read STAC ${file.name}`, `the file is larger than ${STAC_LIMITS.maxDocumentText / 1024 ** 2} MiB, the limit of a document the page sends: give its URL instead`)
      return null
    }
    return this.read({ href: file.name, text: await file.text() })
  }

  /** The page of a Collection's or Catalog's items from `first`. */
  async page(source: StacSource, first: number): Promise<StacDocument | null> {
    return this.fetch({ ...source, first })
  }

  /** Opens the openable assets among `chosen` as layers: URLs through the host's range reader, paths as files. */
  async openAssets(chosen: readonly StacAsset[]): Promise<void> {
    const { urls, paths } = assetsToOpen(chosen)
    const opens: Promise<unknown>[] = []
    if (urls.length > 0) opens.push(this.deps.openUrls(urls))
    for (const path of paths) {
      const name = path.split(/[\\/]/).at(-1) ?? path
      opens.push(this.deps.openPath(path, name).catch((error: unknown) => this.deps.messages.show(`Cannot open ${path}`, messageOf(error))))
    }
    await Promise.all(opens)
  }

  private async read(source: StacSource): Promise<StacDocument | null> {
    const document = await this.fetch(source)
    if (document) this.deps.show(document, source.text === undefined ? { href: source.href } : { href: source.href, text: source.text })
    return document
  }

  /** The host's reading of `source`, or null with the failure said. */
  private async fetch(source: StacSource & { first?: number }): Promise<StacDocument | null> {
    try {
      return await this.deps.read(source)
    } catch (error) {
      const message = messageOf(error)
      // The host's message already names the document ("Cannot read STAC <href>: <why>").
      const prefix = `Cannot read STAC ${source.href}: `
      this.deps.messages.show(`Cannot read STAC ${source.href}`, message.startsWith(prefix) ? message.slice(prefix.length) : message)
      return null
    }
  }
}
