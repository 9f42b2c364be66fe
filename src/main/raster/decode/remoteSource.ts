/**
 * Worker side: a geotiff.js source whose bytes come from the main thread, which alone fetches
 * (its RemoteFile: range requests, block cache, retries). The slices geotiff.js asks for while
 * reading one region (a tile's blocks, fetched together) are gathered until the event loop turns
 * and asked for in one question, so that the main thread can merge adjacent ones into one request.
 */
import type { GeoTIFF } from 'geotiff'
import { askMain } from '../../pool/serveJobs'
import type { ByteRange, ReadRangesQuestion, RemoteRef } from './remoteLocation'

/** What `GeoTIFF.fromSource` reads from. */
type GeoTiffSource = Parameters<typeof GeoTIFF.fromSource>[0]

interface Waiting {
  ranges: ByteRange[]
  resolve: (buffers: ArrayBuffer[]) => void
  reject: (error: Error) => void
}

/** Asks `ask` (the main thread) for the bytes of `ref`, a batch per turn of the event loop. */
export class AskingSource implements GeoTiffSource {
  private waiting: Waiting[] = []
  private scheduled = false

  constructor(
    private readonly ref: RemoteRef,
    private readonly ask: (question: ReadRangesQuestion) => Promise<unknown> = askMain,
    /** Called when a read fails (its bytes will not come): the handle's caches hold the failure. */
    private readonly onFailure: () => void = () => {}
  ) {}

  get fileSize(): number {
    return this.ref.size
  }

  /** The bytes of `slices` (a slice past the end of the file comes shorter). The job's signal is the main thread's. */
  fetch(slices: ByteRange[]): Promise<ArrayBuffer[]> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ ranges: slices.map(({ offset, length }) => ({ offset, length })), resolve, reject })
      if (this.scheduled) return
      this.scheduled = true
      setImmediate(() => this.flush())
    })
  }

  async fetchSlice(slice: ByteRange): Promise<ByteRange & { data: ArrayBuffer }> {
    const [data] = await this.fetch([slice])
    return { ...slice, data: data! }
  }

  async close(): Promise<void> {}

  private flush(): void {
    this.scheduled = false
    const batch = this.waiting.splice(0)
    const question: ReadRangesQuestion = { type: 'read-ranges', url: this.ref.url, version: this.ref.version, ranges: batch.flatMap((w) => w.ranges) }
    this.ask(question).then(
      (answer) => {
        const buffers = answer as ArrayBuffer[]
        let at = 0
        for (const w of batch) {
          w.resolve(buffers.slice(at, at + w.ranges.length))
          at += w.ranges.length
        }
      },
      (error: Error) => {
        this.onFailure()
        for (const w of batch) w.reject(error)
      }
    )
  }
}

/** `length` bytes of `ref` at `offset`, asked of the main thread in one question (fewer past the end of the file). */
export async function readRemoteRange(ref: RemoteRef, offset: number, length: number, ask: (question: ReadRangesQuestion) => Promise<unknown> = askMain): Promise<Uint8Array> {
  const [buffer] = (await ask({ type: 'read-ranges', url: ref.url, version: ref.version, ranges: [{ offset, length }] })) as ArrayBuffer[]
  return new Uint8Array(buffer!)
}
