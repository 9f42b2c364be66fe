/**
 * What the session knows of each open layer, one record per layer: where it came from (the File
 * or URL it was opened from, to open it again after a reconnection), how the person sees it named and
 * placed, whether it has drawn its first pixels, whether its reads failed, and how it is turned on
 * screen. The viewer owns the layer's pixels and camera; the service, its raster. Pure bookkeeping:
 * no DOM, no Pixi.
 */
import { UPRIGHT, type Orientation } from '../view/screenOrientation'

export interface LayerRecord {
  readonly rasterId: string
  /** The file's own name (the raster's). */
  name: string
  /** A dropped or picked file: opened again from it when a new connection forgets the raster. */
  file: File | null
  /** The URL a raster read from a server was opened from by this page (Open URL…, a drop, a paste): opened again from it after a reconnection. */
  url: string | null
  /** The name the person sees: the file's, made unique among the layers ("dem.tif (2)"). */
  displayName: string | null
  /** The placement note last shown in the layer's row (the view's CRS changes with the layers). */
  placementNote: string | null
  /** True until the layer draws its first pixels: its row says "opening…". */
  waitingForPixels: boolean
  /** A read of the layer failed and was said: one message per layer is enough. */
  failed: boolean
  /** How the layer is turned and mirrored on screen when it is the one shown (browsing one at a time). */
  orientation: Orientation
  /** The batch of files given together that the layer came with, when it came with others. */
  batch: object | null
}

export class LayerRecords {
  private readonly records = new Map<string, LayerRecord>()

  /** The record of a layer, made on its first mention. */
  ensure(rasterId: string, name: string): LayerRecord {
    let record = this.records.get(rasterId)
    if (!record) {
      record = { rasterId, name, file: null, url: null, displayName: null, placementNote: null, waitingForPixels: false, failed: false, orientation: UPRIGHT, batch: null }
      this.records.set(rasterId, record)
    }
    return record
  }

  get(rasterId: string): LayerRecord | undefined {
    return this.records.get(rasterId)
  }

  /** Forgets a layer; true when it was known. */
  delete(rasterId: string): boolean {
    return this.records.delete(rasterId)
  }

  /** Names of the layers still waiting for their first pixels, in the order they were opened. */
  waitingNames(): string[] {
    return [...this.records.values()].filter((r) => r.waitingForPixels).map((r) => r.name)
  }

  /** Layers opened from a File (dropped or picked), with it. */
  withFiles(): Array<{ rasterId: string; file: File }> {
    return [...this.records.values()].flatMap((r) => (r.file ? [{ rasterId: r.rasterId, file: r.file }] : []))
  }

  /** Layers this page opened from a URL, with it. */
  withUrls(): Array<{ rasterId: string; url: string }> {
    return [...this.records.values()].flatMap((r) => (r.url !== null ? [{ rasterId: r.rasterId, url: r.url }] : []))
  }

  /** The name a person knows a layer by: its unique display name, else its file's name. */
  nameOf(rasterId: string): string | undefined {
    const record = this.records.get(rasterId)
    return record ? (record.displayName ?? record.name) : undefined
  }

  get size(): number {
    return this.records.size
  }
}
