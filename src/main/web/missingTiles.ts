/**
 * The tiles a layer's server said it does not have (an XYZ pyramid's 404 or 204 around its data):
 * not asked for again for a while. The HTTP cache keeps no such answer (it carries no lifetime),
 * and the tiles around the data are the ones a pan's margin and a glide's lead ask for, drop and
 * ask for again: the web bench fetched the same five missing tiles four times each in one walk. A
 * map viewer keeps them as OpenLayers' tile cache keeps a tile that failed: for the layer's life,
 * here bounded in time (a pyramid being written may gain them) and in number.
 */

/** How long a missing tile is taken as missing without asking again. */
export const MISSING_KEPT_MS = 10 * 60 * 1000
/** Missing tiles remembered at most (the oldest said are forgotten first). */
export const MAX_MISSING_TILES = 20_000

export class MissingTiles {
  /** URL → when its server said it has no tile there (insertion order: oldest first). */
  private readonly said = new Map<string, number>()

  constructor(
    private readonly now: () => number = Date.now,
    private readonly keptMs: number = MISSING_KEPT_MS,
    private readonly maxTiles: number = MAX_MISSING_TILES
  ) {}

  /** True while the server's word that `url` has no tile holds. */
  has(url: string): boolean {
    const at = this.said.get(url)
    if (at === undefined) return false
    if (this.now() - at < this.keptMs) return true
    this.said.delete(url)
    return false
  }

  /** The server said `url` has no tile. */
  add(url: string): void {
    this.said.delete(url)
    this.said.set(url, this.now())
    if (this.said.size > this.maxTiles) this.said.delete(this.said.keys().next().value!)
  }

  get size(): number {
    return this.said.size
  }
}
