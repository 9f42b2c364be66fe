/**
 * A remote layer's `prefetch` hints (issue 24): the tiles its plan wants that the flow control has
 * not asked for yet (its backlog), told to the host so that it fetches their bytes with the tiles
 * in flight, as GDAL reads a window in a few requests, while decoded tiles come as the flow
 * allows. The renderer allows 48 tiles in flight for the layers read from servers
 * (`SERVER_MAX_IN_FLIGHT`), and a view of a large screen over two levels wants more: without hints
 * the rest reached the host one at a time as tiles arrived, each its own HTTP request (measured
 * when the bound was 16).
 *
 * A set is sent only when it says something new: a backlog tile not hinted yet, or a hinted tile
 * the plan no longer wants (the host then stops fetching it). A hinted tile that left the backlog
 * because it was asked for is still wanted: no message for it. Pure: no Pixi, no IPC.
 */
import { MESSAGE_LIMITS } from '../../shared/calls'
import type { TileRequest } from '../../shared/protocol'
import type { RasterInfo } from '../../shared/raster'
import { tileCoordKey } from '../../shared/tiles'

/** What a `TileRequester` tells its layer's hints (all optional for it: only remote layers have hints). */
export interface PlanHints {
  /** A plan: `keep` (coord keys) is everything it wants, `backlog` what is not asked for yet, most urgent first. */
  planned(keep: ReadonlySet<string>, backlog: readonly TileRequest[]): void
  /** The layer withdrew everything (hidden, covered, closed): the host stops fetching the hinted tiles. */
  withdrawn(): void
  /** The connection was lost: its host forgot the hints with it; nothing is sent. */
  lost(): void
}

/**
 * True when the backlog (`next`, coord keys) holds a tile not hinted in `sent`, or a tile of `sent`
 * is no longer wanted (not in `keep`): only then is a new set worth a message.
 */
export function hintsChanged(sent: ReadonlySet<string>, next: ReadonlySet<string>, keep: ReadonlySet<string>): boolean {
  for (const key of next) if (!sent.has(key)) return true
  for (const key of sent) if (!keep.has(key)) return true
  return false
}

export class PrefetchHints implements PlanHints {
  private sent: ReadonlySet<string> = new Set()

  constructor(
    /** Sends one set (the `prefetch` notification), replacing the last. */
    private readonly send: (tiles: TileRequest[]) => void,
    private readonly maxTiles: number = MESSAGE_LIMITS.maxPrefetchHints
  ) {}

  planned(keep: ReadonlySet<string>, backlog: readonly TileRequest[]): void {
    const tiles = backlog.slice(0, this.maxTiles)
    const next = new Set(tiles.map(tileCoordKey))
    if (!hintsChanged(this.sent, next, keep)) return
    this.sent = next
    this.send(tiles.map(({ level, col, row, priority, rank }) => (rank === undefined ? { level, col, row, priority } : { level, col, row, priority, rank })))
  }

  withdrawn(): void {
    if (this.sent.size === 0) return
    this.sent = new Set()
    this.send([])
  }

  lost(): void {
    this.sent = new Set()
  }
}

/** Where hints go: the transport's `prefetch` notification, when it has one. */
export interface HintTransport {
  prefetch?(rasterId: string, tiles: TileRequest[]): void
}

/**
 * The hints of a layer of `info`: for a raster read from a server by URL (`source.kind` 'url') over
 * a transport that sends them; undefined otherwise (a local file's bytes are a disk read away; a
 * web layer's tiles are whole images, not ranges of one file).
 */
export function prefetchHintsFor(rasterId: string, info: Pick<RasterInfo, 'source'>, transport: HintTransport): PrefetchHints | undefined {
  if (info.source?.kind !== 'url' || !transport.prefetch) return undefined
  return new PrefetchHints((tiles) => transport.prefetch!(rasterId, tiles))
}
