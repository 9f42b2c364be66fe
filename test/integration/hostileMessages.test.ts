/**
 * Hostile messages (issue 7): property-based fuzzing of what a TextureService receives, and a
 * burst of 100,000 tile requests. The service answers with errors, bounds its queue, and neither
 * crashes nor keeps growing. The raster behind it is a stub at the opener's edge: a huge grid
 * whose tiles come back only after a short wait, so that requests pile up.
 */
import fc from 'fast-check'
import { afterEach, describe, expect, it } from 'vitest'
import { TextureService } from '../../src/main/service/TextureService'
import { MemorySink, slowStubRaster } from '../helpers/serviceFixtures'
import { collector } from '../helpers/gc'

const SIDE = 1 << 24 // 65536 × 65536 tiles at level 0

let service: TextureService | null = null
afterEach(async () => {
  await service?.close()
  service = null
})

async function openHuge(sink: MemorySink, maxPending?: number): Promise<string> {
  service = new TextureService({ sink, openRaster: async () => slowStubRaster(SIDE, 2), maxWorkers: 4, mayOpenPath: () => true, maxPending })
  const reply = await service.receive({ type: 'open', id: 1, path: '/huge.tif' })
  if (reply?.type !== 'reply') throw new Error('open failed')
  return (reply.result as { rasterId: string }).rasterId
}

/** Messages that look almost right: known types with fields of the wrong type, range or size. */
function nearMessage(rasterId: string): fc.Arbitrary<unknown> {
  const anyValue = fc.oneof(fc.anything(), fc.integer(), fc.double(), fc.string(), fc.constant(null), fc.constant(undefined))
  const tile = fc.record(
    { level: fc.oneof(fc.integer({ min: -5, max: 70 }), anyValue), col: fc.oneof(fc.integer({ min: -10, max: 2 ** 32 }), anyValue), row: fc.oneof(fc.integer({ min: -10, max: 2 ** 32 }), anyValue), priority: fc.oneof(fc.integer({ min: -1, max: 5 }), anyValue), rank: fc.oneof(fc.double(), anyValue) },
    { requiredKeys: [] }
  )
  const ids = fc.oneof(fc.constant(rasterId), fc.string(), fc.constant('r999'), anyValue)
  return fc.oneof(
    fc.anything(),
    fc.record({ type: fc.constantFrom('request', 'cancel-obsolete'), rasterId: ids, tiles: fc.oneof(fc.array(tile, { maxLength: 20 }), anyValue), keep: fc.oneof(fc.array(fc.oneof(fc.string(), anyValue), { maxLength: 20 }), anyValue) }, { requiredKeys: [] }),
    fc.record({ type: fc.constantFrom('open', 'upload-begin', 'upload-end', 'close', 'stats', 'configure', 'nope'), id: fc.oneof(fc.nat(), anyValue), path: fc.oneof(fc.string(), anyValue), name: anyValue, size: fc.oneof(fc.integer(), anyValue), uploadId: anyValue, rasterId: ids, scheduling: fc.oneof(fc.constantFrom('priority', 'fifo'), anyValue) }, { requiredKeys: [] })
  )
}

describe('TextureService under hostile messages', () => {
  it('answers any message without throwing: calls get one reply, malformed ones an error', async () => {
    const sink = new MemorySink()
    const opened: string[] = []
    service = new TextureService({ sink, openRaster: async (path) => { opened.push(path); return slowStubRaster(SIDE, 1) }, maxWorkers: 2, mayOpenPath: () => false })
    const { rasterId } = await service.openHostPath('/given-by-the-host.tif')
    await fc.assert(
      fc.asyncProperty(nearMessage(rasterId), async (message) => {
        const reply = await service!.receive(message)
        if (reply) expect(['reply', 'reply-error']).toContain(reply.type)
        const id = (message as { id?: unknown } | null)?.id
        const isCall = typeof message === 'object' && message !== null && ['open', 'upload-begin', 'upload-end', 'close', 'stats', 'configure'].includes((message as { type?: unknown }).type as string)
        if (isCall && typeof id === 'number' && Number.isSafeInteger(id) && id >= 0) expect(reply).not.toBeNull()
      }),
      { numRuns: 2000, seed: 7 }
    )
    expect(opened).toEqual(['/given-by-the-host.tif']) // no path is opened that the policy did not allow
    expect(await service.receive({ type: 'stats', id: 1 })).toMatchObject({ type: 'reply' })
  })

  it('refuses negative, fractional and out-of-range tile coordinates, and unknown raster ids, with errors', async () => {
    const sink = new MemorySink()
    const rasterId = await openHuge(sink)
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: -(2 ** 40), max: 2 ** 40 }), fc.integer({ min: -100, max: 100 }), async (coordinate, level) => {
        const before = sink.messages.length
        await service!.receive({ type: 'request', rasterId, tiles: [{ level, col: coordinate, row: 0, priority: 1 }] })
        const inside = level >= 0 && level < 17 && coordinate >= 0 && coordinate < Math.ceil(SIDE / 256 / 2 ** level)
        if (!inside) expect(sink.messages.slice(before).some((m) => m.type === 'error' || m.type === 'tile-failed')).toBe(true)
      }),
      { numRuns: 500, seed: 11 }
    )
    await service!.receive({ type: 'request', rasterId: 'r404', tiles: [] })
    expect(sink.messages.at(-1)).toMatchObject({ type: 'error', error: { code: 'unknown-raster' } })
  })

  it('bounds a burst of 100,000 requests by its cap, reports what it dropped, and returns to idle', async () => {
    const sink = new MemorySink()
    const maxPending = 5_000
    const rasterId = await openHuge(sink, maxPending)
    // The heap kept, not the garbage of the burst (the stats read at each request allocate): collected before both reads.
    const gc = collector()
    gc()
    const heapBefore = process.memoryUsage().heapUsed
    for (let i = 0; i < 100_000; i++) {
      void service!.receive({ type: 'request', rasterId, tiles: [{ level: 0, col: i % 65536, row: Math.floor(i / 65536), priority: 1 + (i % 3), rank: i }] })
      expect(service!.stats().pending + service!.stats().active).toBeLessThanOrEqual(maxPending)
    }
    const overloaded = sink.ofType('error').filter((m) => m.error.code === 'overloaded')
    expect(overloaded.length).toBeGreaterThan(0)
    expect(overloaded[0]!.error.message).toMatch(/dropped: more than 5000 pending/)
    const inFlight = service!.stats().pending + service!.stats().active
    await service!.receive({ type: 'cancel-obsolete', rasterId, keep: [] })
    await sink.until(() => service!.stats().pending === 0 && service!.stats().active === 0)
    // Each dropped tile is reported, so that nothing waits for it: sent + dropped + withdrawn = asked.
    const dropped = sink.ofType('tile-failed').filter((m) => m.error.code === 'overloaded').length
    expect(dropped).toBeGreaterThan(0)
    expect(sink.frames.length + dropped + inFlight).toBe(100_000)
    gc()
    // What stays is the sink's own record of the burst (about 40 MB): nothing of the service's.
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(100 * 1024 * 1024)
  })

  it('refuses a request of more tiles than one message may carry, and a huge keep list', async () => {
    const sink = new MemorySink()
    const rasterId = await openHuge(sink)
    const tiles = Array.from({ length: 20_001 }, () => ({ level: 0, col: 0, row: 0, priority: 1 }))
    await service!.receive({ type: 'request', rasterId, tiles })
    expect(sink.messages.at(-1)).toMatchObject({ type: 'error', error: { code: 'bad-message' } })
    await service!.receive({ type: 'cancel-obsolete', rasterId, keep: Array.from({ length: 200_001 }, () => 'k') })
    expect(sink.messages.at(-1)).toMatchObject({ type: 'error', error: { code: 'bad-message' } })
    expect(service!.stats().pending).toBe(0)
  })
})
