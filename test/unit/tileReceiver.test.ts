import { describe, expect, it } from 'vitest'
import { TileReceiver, type TileDecoder } from '../../src/renderer/bridge/TileReceiver'
import type { FromTileWorker } from '../../src/renderer/bridge/tileWorkerProtocol'
import { encodeTileFrame } from '../../src/shared/tileFrame'
import type { TileHeader } from '../../src/shared/protocol'

const header = (col: number, extra: Partial<TileHeader> = {}): TileHeader => ({
  rasterId: 'r1',
  level: 0,
  col,
  row: 0,
  width: 2,
  height: 1,
  channels: 4,
  sampleType: 'uint8',
  ...extra
})

/** A fake decoder: "decodes" a payload whose first byte is a grey level, after `delay` ms. */
function fakeJpeg(delays: Record<number, number> = {}): TileDecoder {
  return (bytes, _encoding, width, height) =>
    new Promise((resolve, reject) => {
      const grey = bytes[0]!
      if (grey === 255) return reject(new Error('corrupt data'))
      setTimeout(() => resolve(new Uint8Array(width * height * 4).fill(grey)), delays[grey] ?? 0)
    })
}

function collect(decoder: TileDecoder) {
  const out: Array<{ message: FromTileWorker; transfer: Transferable[] }> = []
  const receiver = new TileReceiver((message, transfer) => out.push({ message, transfer }), decoder)
  return { receiver, out }
}

describe('TileReceiver (the tile worker, without the worker)', () => {
  it('views a raw frame in place and transfers its buffer', async () => {
    const { receiver, out } = collect(fakeJpeg())
    const frame = encodeTileFrame(header(0), new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]))
    receiver.frame(frame.buffer as ArrayBuffer)
    await receiver.drained()
    expect(out).toHaveLength(1)
    const { message, transfer } = out[0]!
    expect(message.kind).toBe('tile')
    if (message.kind !== 'tile') return
    expect(message.encoding).toBe('raw')
    expect(message.wireBytes).toBe(frame.byteLength)
    expect([...message.tile.data]).toEqual([1, 2, 3, 4, 5, 6, 7, 8])
    expect(transfer).toEqual([frame.buffer])
  })

  it('hands a PNG frame (a web server\'s own tile) to the decoder as png, and refuses an unknown encoding as a bad frame', async () => {
    const seen: string[] = []
    const decoder: TileDecoder = async (bytes, encoding, width, height) => {
      seen.push(encoding)
      return new Uint8Array(width * height * 4).fill(bytes[0]!)
    }
    const { receiver, out } = collect(decoder)
    receiver.frame(encodeTileFrame(header(0, { encoding: 'png' }), new Uint8Array([7, 0, 0])))
    receiver.frame(encodeTileFrame(header(1, { encoding: 'gif' as never }), new Uint8Array([7, 0, 0])))
    await receiver.drained()
    expect(seen).toEqual(['png'])
    const [png, bad] = out.map((o) => o.message)
    if (png?.kind !== 'tile') throw new Error(`expected a tile, got ${png?.kind}`)
    expect(png.encoding).toBe('png')
    expect([...png.tile.data]).toEqual(new Array(8).fill(7))
    expect(bad).toMatchObject({ kind: 'bad-frame', message: expect.stringMatching(/Unknown tile encoding "gif"/) })
  })

  it('makes an empty frame transparent pixels without the decoder, in order with the others; one with bytes is a bad frame', async () => {
    const seen: string[] = []
    const decoder: TileDecoder = async (bytes, encoding, width, height) => {
      seen.push(encoding)
      await new Promise((r) => setTimeout(r, 20)) // slower than the empty tile after it
      return new Uint8Array(width * height * 4).fill(bytes[0]!)
    }
    const { receiver, out } = collect(decoder)
    receiver.frame(encodeTileFrame(header(0, { encoding: 'png' }), new Uint8Array([9])))
    receiver.frame(encodeTileFrame(header(1, { encoding: 'empty' }), new Uint8Array(0)))
    receiver.frame(encodeTileFrame(header(2, { encoding: 'empty' }), new Uint8Array([1])))
    await receiver.drained()
    expect(seen).toEqual(['png'])
    const [png, empty, bad] = out.map((o) => o.message)
    expect(png).toMatchObject({ kind: 'tile', encoding: 'png' })
    if (empty?.kind !== 'tile') throw new Error(`expected a tile, got ${empty?.kind}`)
    expect(empty.encoding).toBe('empty')
    expect(empty.tile.header).toEqual(header(1))
    expect([...empty.tile.data]).toEqual(new Array(8).fill(0))
    expect(out[1]!.transfer).toEqual([empty.tile.data.buffer])
    expect(bad).toMatchObject({ kind: 'bad-frame', message: expect.stringMatching(/says empty but carries 1 bytes/) })
  })

  it('decodes a JPEG frame to RGBA8 pixels, without the encoding in the header it hands on', async () => {
    const { receiver, out } = collect(fakeJpeg())
    receiver.frame(encodeTileFrame(header(0, { encoding: 'jpeg' }), new Uint8Array([42, 0, 0])))
    await receiver.drained()
    const message = out[0]!.message
    if (message.kind !== 'tile') throw new Error(`expected a tile, got ${message.kind}`)
    expect(message.encoding).toBe('jpeg')
    expect(message.tile.header).toEqual(header(0))
    expect([...message.tile.data]).toEqual(new Array(8).fill(42))
    expect(out[0]!.transfer).toEqual([message.tile.data.buffer])
  })

  it('decodes a WebP frame with the WebP decoder', async () => {
    const seen: string[] = []
    const decoder: TileDecoder = async (_bytes, encoding, width, height) => {
      seen.push(encoding)
      return new Uint8Array(width * height * 4).fill(7)
    }
    const { receiver, out } = collect(decoder)
    receiver.frame(encodeTileFrame(header(0, { encoding: 'webp' }), new Uint8Array([1])))
    receiver.frame(encodeTileFrame(header(1, { encoding: 'jpeg' }), new Uint8Array([1])))
    await receiver.drained()
    expect(seen).toEqual(['webp', 'jpeg'])
    expect(out.map(({ message }) => (message.kind === 'tile' ? message.encoding : message.kind))).toEqual(['webp', 'jpeg'])
  })

  it('hands messages on in the order they came, however long each decode takes', async () => {
    const { receiver, out } = collect(fakeJpeg({ 10: 40, 20: 0 }))
    receiver.frame(encodeTileFrame(header(1, { encoding: 'jpeg' }), new Uint8Array([10])))
    receiver.other({ kind: 'text', data: '{"type":"raster-updated"}' })
    receiver.frame(encodeTileFrame(header(2, { encoding: 'jpeg' }), new Uint8Array([20])))
    receiver.frame(encodeTileFrame(header(3), new Uint8Array(8)))
    await receiver.drained()
    expect(out.map(({ message }) => (message.kind === 'tile' ? `tile ${message.tile.header.col}` : message.kind))).toEqual(['tile 1', 'text', 'tile 2', 'tile 3'])
  })

  it('reports a bad frame, a JPEG that does not decode or decodes to the wrong size, and goes on', async () => {
    const wrongSize: TileDecoder = async () => new Uint8Array(3)
    const { receiver, out } = collect(fakeJpeg())
    receiver.frame(new Uint8Array([1, 2, 3]))
    receiver.frame(encodeTileFrame(header(0, { encoding: 'jpeg' }), new Uint8Array([255])))
    receiver.frame(encodeTileFrame(header(0, { encoding: 'jpeg', channels: 1 }), new Uint8Array([1])))
    receiver.frame(encodeTileFrame(header(5), new Uint8Array(8)))
    await receiver.drained()
    const kinds = out.map(({ message }) => message.kind)
    expect(kinds).toEqual(['bad-frame', 'bad-frame', 'bad-frame', 'tile'])
    const messages = out.map(({ message }) => (message.kind === 'bad-frame' ? message.message : ''))
    expect(messages[0]).toMatch(/Expected a tile frame/)
    expect(messages[1]).toMatch(/Cannot decode the JPEG tile r1\/0\/0\/0: corrupt data/)
    // The tile it was, so that it fails as that tile rather than stay awaited; a frame not read names none.
    expect(out[1]!.message).toMatchObject({ tile: { rasterId: 'r1', key: 'r1/0/0/0' } })
    expect(out[0]!.message).not.toHaveProperty('tile')
    expect(messages[2]).toMatch(/is JPEG but says 1 uint8 channels/)

    // A decode that fails while an earlier one is still running: reported in its turn, never an
    // unhandled rejection meanwhile (a page error in the browser; vitest fails the run on one).
    const unhandled: unknown[] = []
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason)
    process.on('unhandledRejection', onUnhandled)
    try {
      const slow = collect(fakeJpeg({ 10: 60 }))
      slow.receiver.frame(encodeTileFrame(header(1, { encoding: 'jpeg' }), new Uint8Array([10])))
      slow.receiver.frame(encodeTileFrame(header(2, { encoding: 'jpeg' }), new Uint8Array([255])))
      await new Promise((r) => setTimeout(r, 20)) // the second has failed, the first still decodes
      await slow.receiver.drained()
      expect(slow.out.map(({ message }) => message.kind)).toEqual(['tile', 'bad-frame'])
    } finally {
      process.off('unhandledRejection', onUnhandled)
    }
    expect(unhandled).toEqual([])

    const other = collect(wrongSize)
    other.receiver.frame(encodeTileFrame(header(0, { encoding: 'jpeg' }), new Uint8Array([1])))
    await other.receiver.drained()
    expect(other.out[0]!.message).toMatchObject({ kind: 'bad-frame', message: expect.stringMatching(/decoded to 3 bytes, expected 8/) })
  })
})
