/**
 * A remote layer's `prefetch` hints (issue 24): the renderer's side (`prefetchHints.ts`: a set sent
 * only when it says something new; `TileRequester` telling it each plan's backlog) and the host's
 * (`TileStreamer.hint`: each hinted tile's bytes prefetched under a signal that a later set without
 * it, a cancellation not keeping it, or the raster's close aborts).
 */
import { describe, expect, it } from 'vitest'
import { hintsChanged, PrefetchHints, prefetchHintsFor } from '../../src/renderer/view/prefetchHints'
import { coordKey } from '../../src/renderer/view/TileScheduler'
import { AsyncImageLoader } from '../../src/main/loader/AsyncImageLoader'
import { TileStreamer } from '../../src/main/service/TileStreamer'
import type { LoadedTile, RasterSource } from '../../src/main/raster/types'
import type { TileRequest } from '../../src/shared/protocol'
import { ImageLoadPriority } from '../../src/shared/priority'
import { MemorySink } from '../helpers/serviceFixtures'

const t = (col: number, rank = col): TileRequest => ({ level: 0, col, row: 0, priority: ImageLoadPriority.HIGH, rank })
const keys = (tiles: TileRequest[]): Set<string> => new Set(tiles.map(coordKey))

describe('hintsChanged', () => {
  it('is true for a backlog tile not hinted yet, or a hinted tile no longer wanted; false when hinted tiles were only asked for', () => {
    const sent = keys([t(1), t(2), t(3)])
    expect(hintsChanged(sent, keys([t(2), t(3)]), keys([t(1), t(2), t(3)]))).toBe(false)
    expect(hintsChanged(sent, keys([]), keys([t(1), t(2), t(3), t(9)]))).toBe(false)
    expect(hintsChanged(sent, keys([t(2), t(4)]), keys([t(1), t(2), t(3), t(4)]))).toBe(true)
    expect(hintsChanged(sent, keys([t(2)]), keys([t(2), t(3)]))).toBe(true)
    expect(hintsChanged(new Set(), new Set(), new Set())).toBe(false)
  })
})

describe('PrefetchHints', () => {
  it('sends a set only when it changes, bounded, and an empty set once when withdrawn; nothing after a lost connection', () => {
    const sent: TileRequest[][] = []
    const hints = new PrefetchHints((tiles) => sent.push(tiles), 3)
    const wanted = [t(1), t(2), t(3), t(4), t(5)]
    hints.planned(keys(wanted), wanted)
    expect(sent).toEqual([[t(1), t(2), t(3)]])
    // The same plan next frame, then tile 1 asked for (left the backlog, still wanted): nothing new.
    hints.planned(keys(wanted), wanted)
    hints.planned(keys(wanted), [t(2), t(3)])
    expect(sent).toHaveLength(1)
    // A new plan: tiles 1–3 no longer wanted.
    const panned = [t(6), t(7)]
    hints.planned(keys(panned), panned)
    expect(sent.at(-1)).toEqual([t(6), t(7)])
    hints.withdrawn()
    hints.withdrawn()
    expect(sent.slice(2)).toEqual([[]])
    hints.planned(keys(panned), panned)
    hints.lost()
    hints.withdrawn()
    expect(sent).toHaveLength(4)
  })

  it('exists only for a raster read by URL over a transport that sends hints', () => {
    const transport = { prefetch: () => undefined }
    expect(prefetchHintsFor('r', { source: { kind: 'url', url: 'http://h/a.tif', size: 1, lastModified: null, wholeBody: false } }, transport)).toBeInstanceOf(PrefetchHints)
    expect(prefetchHintsFor('r', {}, transport)).toBeUndefined()
    expect(prefetchHintsFor('r', { source: { kind: 'url', url: 'http://h/a.tif', size: 1, lastModified: null, wholeBody: false } }, {})).toBeUndefined()
  })
})

/** A remote-like source whose `prefetch` records each tile's signal. */
function hintedSource(): { source: RasterSource; prefetched: Map<string, AbortSignal> } {
  const prefetched = new Map<string, AbortSignal>()
  const source = {
    info: { levels: [{ width: 2048, height: 256 }], tileSize: 256, georeference: null, name: 'remote.tif' },
    readTile: () => new Promise<never>(() => undefined),
    prefetch: (level: number, col: number, row: number, signal: AbortSignal) => prefetched.set(`${level}/${col}/${row}`, signal)
  } as unknown as RasterSource
  return { source, prefetched }
}

describe('TileStreamer.hint', () => {
  function streamer(): TileStreamer {
    const loader = new AsyncImageLoader<LoadedTile>({ maxWorkers: 1, stopGraceMs: 0 })
    return new TileStreamer(new MemorySink(), { loader, maxWorkers: 1, maxPending: 100, onFileChanged: () => undefined })
  }

  it('prefetches each hinted tile once; a later set without it, a cancellation not keeping it, or the raster cancelled aborts it', async () => {
    const tiles = streamer()
    const { source, prefetched } = hintedSource()
    // No request yet: no source to hint.
    tiles.hint('r1', [t(3)])
    expect(prefetched.size).toBe(0)
    tiles.request('r1', source, [t(0)])
    tiles.hint('r1', [t(3), t(4), t(5), t(99)])
    expect([...prefetched.keys()].sort()).toEqual(['0/0/0', '0/3/0', '0/4/0', '0/5/0'])
    const [three, four, five] = ['0/3/0', '0/4/0', '0/5/0'].map((k) => prefetched.get(k)!)
    tiles.hint('r1', [t(4), t(5), t(6)])
    expect(three!.aborted).toBe(true)
    expect(four!.aborted || five!.aborted).toBe(false)
    expect(prefetched.get('0/4/0')).toBe(four)
    tiles.cancelObsolete('r1', ['r1/0/5/0', 'r1/0/6/0'])
    expect(four!.aborted).toBe(true)
    expect(five!.aborted).toBe(false)
    tiles.cancelRaster('r1')
    expect(five!.aborted).toBe(true)
    expect(prefetched.get('0/6/0')!.aborted).toBe(true)
    // The raster's source is forgotten with it: hints wait for its next request.
    prefetched.clear()
    tiles.hint('r1', [t(7)])
    expect(prefetched.size).toBe(0)
    await tiles.close()
  })

  it('aborts every hint on close, and sends none for a source without prefetch or in fifo mode', async () => {
    const tiles = streamer()
    const { source, prefetched } = hintedSource()
    tiles.request('r1', source, [t(0)])
    tiles.hint('r1', [t(1)])
    const local = { ...source, prefetch: undefined } as unknown as RasterSource
    tiles.request('r2', local, [t(0)])
    tiles.hint('r2', [t(1)])
    expect([...prefetched.keys()].sort()).toEqual(['0/0/0', '0/1/0'])
    await tiles.close()
    expect(prefetched.get('0/1/0')!.aborted).toBe(true)

    const fifo = streamer()
    fifo.setScheduling('fifo')
    const other = hintedSource()
    fifo.request('r1', other.source, [t(0)])
    fifo.hint('r1', [t(1)])
    expect([...other.prefetched.keys()]).toEqual(['0/0/0'])
    await fifo.close()
  })
})
