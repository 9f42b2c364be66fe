/**
 * Unpacks the service's binary tile frames into upload-ready tiles, in the order they came: a raw
 * frame is viewed in place; a compressed one (the source's own JPEG or WebP tile, `header.encoding`)
 * is decoded by the decoder it is given (the browser's, in the tile worker) and cropped to the tile.
 * Decodes run side by side, but nothing is handed on before what came earlier: an event after a
 * tile never overtakes it. Free of the DOM and of workers, so it is unit-tested in Node.
 */
import { messageOf } from '../../shared/errors'
import { decodeTileFrame, decodeTileFramePayload } from '../../shared/tileFrame'
import type { TileEncoding, TileHeader, TileMessage } from '../../shared/protocol'
import type { FromTileWorker } from './tileWorkerProtocol'
import { tileKey } from '../../shared/tiles'

/** Decodes a complete compressed image (a JPEG stream, a WebP file) and returns the RGBA8 pixels of its top-left `width` × `height`. */
export type TileDecoder = (bytes: Uint8Array, encoding: TileEncoding, width: number, height: number) => Promise<Uint8Array>

export class TileReceiver {
  /** The last message handed on, or about to be: each new one waits for it. */
  private tail: Promise<void> = Promise.resolve()

  constructor(
    private readonly post: (message: FromTileWorker, transfer: Transferable[]) => void,
    private readonly decode: TileDecoder
  ) {}

  /** A binary frame from the service. */
  frame(bytes: ArrayBuffer | Uint8Array): void {
    const wireBytes = bytes.byteLength
    let header: TileHeader
    let payload: Uint8Array
    try {
      ;({ header, payload } = decodeTileFramePayload(bytes))
      if (header.encoding === undefined) {
        const tile = decodeTileFrame(bytes)
        this.inOrder(Promise.resolve(), () => this.post({ kind: 'tile', tile, encoding: 'raw', wireBytes }, [tile.data.buffer as ArrayBuffer]))
        return
      }
      if (header.channels !== 4 || header.sampleType !== 'uint8') {
        throw new Error(`Tile frame ${tileName(header)} is ${header.encoding.toUpperCase()} but says ${header.channels} ${header.sampleType} channels (expected 4 uint8)`)
      }
    } catch (error) {
      this.reportBad(error)
      return
    }
    const encoding = header.encoding
    if (encoding === 'empty') {
      // Nothing to decode: every pixel transparent, allocated here (a tile the server has none of).
      if (payload.byteLength !== 0) return this.reportBad(new Error(`Tile frame ${tileName(header)} says empty but carries ${payload.byteLength} bytes`))
      const { encoding: _empty, ...plain } = header
      const pixels = new Uint8Array(header.width * header.height * 4)
      this.inOrder(Promise.resolve(), () => this.post({ kind: 'tile', tile: { header: plain, data: pixels }, encoding, wireBytes }, [pixels.buffer]))
      return
    }
    const decoded = this.decode(payload, encoding, header.width, header.height).then((pixels) => {
      if (pixels.byteLength !== header.width * header.height * 4) {
        throw new Error(`${encoding.toUpperCase()} tile ${tileName(header)} decoded to ${pixels.byteLength} bytes, expected ${header.width * header.height * 4}`)
      }
      return pixels
    })
    this.inOrder(
      decoded,
      (pixels) => {
        const { encoding: _compressed, ...plain } = header // what arrives on the main thread is pixels
        const tile: TileMessage = { header: plain, data: pixels }
        this.post({ kind: 'tile', tile, encoding, wireBytes }, [pixels.buffer as ArrayBuffer])
      },
      // Said of the tile (its layer's row counts it failed), not only of the connection: waited for, it never comes.
      (error) => this.post({ kind: 'bad-frame', message: `Cannot decode the ${encoding.toUpperCase()} tile ${tileName(header)}: ${messageOf(error)}`, tile: { rasterId: header.rasterId, key: tileName(header) } }, [])
    )
  }

  /** Anything else (a text frame, an event): handed on after everything that came before it. */
  other(message: FromTileWorker): void {
    this.inOrder(Promise.resolve(), () => this.post(message, []))
  }

  /** Resolves once everything received so far has been handed on (tests). */
  drained(): Promise<void> {
    return this.tail
  }

  private reportBad(error: unknown): void {
    this.other({ kind: 'bad-frame', message: messageOf(error) })
  }

  private inOrder<T>(work: Promise<T>, hand: (value: T) => void, fail?: (error: unknown) => void): void {
    // Its failure is handled in its turn, below; until then it is not unhandled (a decode failing
    // while an earlier one still runs was a page error in the browser).
    work.catch(() => undefined)
    const previous = this.tail
    this.tail = previous.then(() => work).then(hand, (error: unknown) => (fail ?? ((e) => this.post({ kind: 'bad-frame', message: messageOf(e) }, [])))(error))
  }
}

function tileName(h: TileHeader): string {
  return tileKey(h)
}
