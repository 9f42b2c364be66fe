/**
 * Opening the files a person drops or picks: a few at a time through the bridge (uploaded by the
 * browser host, by path in Electron), the top one first, each handed to the session's layers as
 * soon as it opens, in its place in the order given; and while they open, a first picture of each
 * decoded by the page itself (a camera's EXIF thumbnail, then a preview sized to the window).
 */
import type { TesseraBridge } from '../bridge/types'
import type { OpenedRaster } from '../../shared/protocol'
import { messageOf } from '../../shared/errors'
import type { OpenBatch } from '../view/LayerOrder'
import type { Viewer } from '../view/Viewer'
import { browserDecodes, decodePreview, decodeThumbnail, readFileHead, type Picture } from '../dropPreview'
import type { Connection } from './Connection'

/** Where opened files go: the session's layers (`Session`). */
export interface OpenTarget {
  beginBatch(size: number): OpenBatch
  failInBatch(batch: OpenBatch, index: number): void
  /** `origin`: the File or the URL the raster was opened from (opened again from it after a reconnection). */
  add(opened: OpenedRaster, batch: OpenBatch | null, index: number, origin: File | string | null): unknown
  isWaitingForPixels(rasterId: string): boolean
}

export interface FileOpenerDeps {
  bridge: TesseraBridge
  viewer: Pick<Viewer, 'showPreview' | 'attachPreview' | 'removePreview'>
  connection: Pick<Connection, 'refusal'>
  messages: { show(title: string, message: string, options?: { key?: string }): void }
  ui: { progress(id: string, label: string, fraction: number): void }
  mark(step: string, name: string): void
  target: OpenTarget
  /** The files uploading or opening changed. */
  openingChanged(): void
}

/** Files opened (uploaded) at the same time; the service accepts up to MAX_OPEN_UPLOADS (64) per connection. */
export const OPENS_AT_ONCE = 4

/** Key of the message of a drop refused while disconnected. */
export const REFUSED_DROP = 'refused-drop'

export class FileOpener {
  /** Files uploading or opening, by upload id: their names. */
  private readonly uploading = new Map<string, string>()

  constructor(private readonly deps: FileOpenerDeps) {}

  /** Names of the files uploading or opening now. */
  uploadingNames(): string[] {
    return [...this.uploading.values()]
  }

  /**
   * Opens files given together, a few at a time (a dropped folder must not start hundreds of
   * uploads at once: the service bounds them), each layer added as soon as it opens, in its place
   * in the order the files were given (last on top; see LayerOrder). A drop the service cannot
   * receive now is refused where it is seen, not silently lost.
   */
  async open(files: readonly File[]): Promise<void> {
    if (files.length === 0) return
    const refusal = this.deps.connection.refusal()
    if (refusal) {
      const what = files.length === 1 ? files[0]!.name : `${files.length} files`
      this.deps.messages.show(`Could not open ${what}`, refusal, { key: REFUSED_DROP })
      return
    }
    const { target, mark } = this.deps
    const batch = target.beginBatch(files.length)
    for (const file of files) mark('dropped', file.name)
    const drop = files.map((file) => ({ file, uploadId: `upload:${file.name}:${file.size}:${Math.random()}` }))
    for (const { file, uploadId } of drop) this.uploading.set(uploadId, file.name)
    this.deps.openingChanged()
    const opening = new Set(drop.map((d) => d.uploadId))
    /** The layer each file opened as (its preview stands for it until it draws tiles). */
    const openedAs = new Map<string, string>()
    /** A preview is still worth showing while its file opens, and once open until its layer draws its first tiles. */
    const previewWanted = (uploadId: string): boolean => {
      const rasterId = openedAs.get(uploadId)
      return opening.has(uploadId) || (rasterId !== undefined && target.isWaitingForPixels(rasterId))
    }
    void this.showPreviews(drop, previewWanted, openedAs)
    const openOne = async ({ file, uploadId }: (typeof drop)[number], index: number): Promise<void> => {
      let opened: OpenedRaster
      try {
        opened = await this.deps.bridge.openFile(file, (p) => {
          this.deps.ui.progress(uploadId, `Reading ${p.name}`, p.totalBytes > 0 ? Math.min(0.999, p.sentBytes / p.totalBytes) : 0)
          if (p.sentBytes >= p.totalBytes) mark('sent', file.name)
        })
        mark('opened', file.name)
      } catch (error) {
        target.failInBatch(batch, index)
        this.deps.messages.show(`Could not open ${file.name}`, messageOf(error))
        this.deps.viewer.removePreview(uploadId)
        return
      } finally {
        opening.delete(uploadId)
        this.deps.ui.progress(uploadId, '', 1)
        this.uploading.delete(uploadId)
        this.deps.openingChanged()
      }
      target.add(opened, batch, index, file)
      openedAs.set(uploadId, opened.rasterId)
      this.deps.viewer.attachPreview(uploadId, opened.rasterId)
    }
    // Uploaded and opened top first (the last given), as the previews: the top layer is the one
    // seen (the host serves its tiles before the overviews of the files under it), and the layers
    // under an opaque one ask for nothing. Stacked by their place all the same.
    const limit = limitConcurrency(OPENS_AT_ONCE)
    await Promise.all(drop.map((d, index) => ({ d, index })).reverse().map(({ d, index }) => limit(() => openOne(d, index))))
  }

  /**
   * A first picture from each file itself, decoded by the browser while the host opens it: one at
   * a time, the top one (the last given) first, as it is the one seen. Decoded side by side on two
   * cores, the first picture came only when all of them had.
   */
  private async showPreviews(drop: ReadonlyArray<{ file: File; uploadId: string }>, wanted: (uploadId: string) => boolean, openedAs: ReadonlyMap<string, string>): Promise<void> {
    const { viewer, mark } = this.deps
    for (let i = drop.length - 1; i >= 0; i--) {
      const { file, uploadId } = drop[i]!
      if (!browserDecodes(file)) continue
      /** Shows a picture of the file unless its layer drew tiles (or its file failed) meanwhile. */
      const show = (picture: Picture, step: string): void => {
        if (!wanted(uploadId)) {
          picture.bitmap.close()
          return mark('preview late', file.name)
        }
        viewer.showPreview(uploadId, picture.bitmap, picture.width, picture.height)
        const rasterId = openedAs.get(uploadId)
        if (rasterId) viewer.attachPreview(uploadId, rasterId) // opened while it decoded: placed over its layer
        mark(step, file.name)
      }
      // Too late once its layer drew tiles (or its file failed): no picture then.
      if (!wanted(uploadId)) {
        mark('preview late', file.name)
        continue
      }
      try {
        // No picture (unreadable, undecodable): the layer comes as always.
        const head = await readFileHead(file)
        // A camera photo's EXIF thumbnail first: a few ms to decode, where the photo takes hundreds.
        const thumbnail = await decodeThumbnail(head).catch(() => null)
        if (thumbnail) show(thumbnail, 'thumbnail')
        if (!wanted(uploadId)) continue
        const preview = await decodePreview(file, head).catch(() => null)
        if (preview) show(preview, 'preview')
      } catch {
        // A file the page cannot read: no picture, the layer comes as always.
      }
    }
  }
}

/** A gate that lets at most `limit` calls through it run at once; the others wait their turn, in call order. */
export function limitConcurrency(limit: number): <R>(run: () => Promise<R>) => Promise<R> {
  let running = 0
  const waiting: Array<() => void> = []
  return async (run) => {
    if (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve))
    running++
    try {
      return await run()
    } finally {
      running--
      waiting.shift()?.()
    }
  }
}
