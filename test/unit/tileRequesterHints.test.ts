/** The hook of `prefetchHints.ts` in `TileRequester`: each plan's backlog told to the layer's hints, withdrawn with the layer. */
import { describe, expect, it } from 'vitest'
import { PrefetchHints } from '../../src/renderer/view/prefetchHints'
import { TileRequester, type TileCounters } from '../../src/renderer/view/TileRequester'
import { TileLatency } from '../../src/renderer/view/CameraMotion'
import { coordKey } from '../../src/renderer/view/TileScheduler'
import type { TileRequest } from '../../src/shared/protocol'
import { ImageLoadPriority } from '../../src/shared/priority'

const t = (col: number, rank = col): TileRequest => ({ level: 0, col, row: 0, priority: ImageLoadPriority.HIGH, rank })
const keys = (tiles: TileRequest[]): Set<string> => new Set(tiles.map(coordKey))

describe('TileRequester with hints', () => {
  it("tells each plan's backlog (what the flow did not send), and withdraws the hints with the layer", () => {
    const requested: TileRequest[][] = []
    const hinted: TileRequest[][] = []
    const counters: TileCounters = { requested: 0, displayed: 0, cancelled: 0, wasted: 0, late: 0 }
    const cached = new Set<string>()
    const requester: TileRequester = new TileRequester('r1', {
      transport: { requestTiles: (_id, tiles) => requested.push(tiles), cancelObsolete: () => undefined },
      counters,
      latency: new TileLatency(100),
      room: () => 2 - requester.pendingCount,
      isFresh: (key) => cached.has(key),
      hints: new PrefetchHints((tiles) => hinted.push(tiles)),
      now: () => 0
    })
    const wanted = [t(1), t(2), t(3), t(4), t(5)]
    requester.plan(keys(wanted), wanted)
    expect(requested).toEqual([[t(1), t(2)]])
    expect(hinted).toEqual([[t(3), t(4), t(5)]])
    // Tile 1 arrives, tile 3 goes; the next frame's plan hints nothing new.
    requester.arrived('0/1/0')
    cached.add('0/1/0')
    // The planner wants what is not cached (tile 1 is drawn now: kept, not wanted).
    requester.plan(keys(wanted), wanted.slice(1))
    expect(requested.at(-1)).toEqual([t(3)])
    expect(hinted).toHaveLength(1)
    requester.withdrawAll()
    expect(hinted.at(-1)).toEqual([])
  })
})
