/**
 * The stack of layers as it was when the connection to the service was lost, so that the layers
 * opened again on the new connection go back where they were. Files dropped, URLs and web map
 * layers are opened again by three openers, each on its own time, and an opened layer goes on top:
 * without this, a web basemap that was under a dropped DEM came back over it. A layer comes back
 * as a new raster id: matched to the one it replaces by the File or URL it was opened from, or
 * told by its opener (web layers). Pure bookkeeping over ids: the session moves the layers.
 */

/** A layer of the stack when the connection was lost, and what it was opened from (null: the host names it again, same id). */
export interface RememberedLayer {
  rasterId: string
  origin: File | string | null
}

export class ReturningStack {
  /** Bottom first. */
  private stack: RememberedLayer[] = []
  /** Old id → the id it came back as. */
  private readonly returned = new Map<string, string>()

  /**
   * Remembers the stack at a loss. At a second loss before every layer came back, the layers that
   * did are remembered by their new ids, those still waiting by their old ones, in the order the
   * first loss left.
   */
  remember(layers: readonly RememberedLayer[]): void {
    if (this.stack.length > 0 && this.returned.size < this.stack.length) {
      const now = new Map(layers.map((l) => [l.rasterId, l]))
      const merged = this.stack.map((l) => now.get(this.returned.get(l.rasterId) ?? l.rasterId) ?? l)
      const known = new Set(merged.map((l) => l.rasterId))
      this.stack = [...merged, ...layers.filter((l) => !known.has(l.rasterId))]
    } else {
      this.stack = [...layers]
    }
    this.returned.clear()
  }

  /**
   * A layer opened on the new connection: when it replaces one remembered (the one `replaces`
   * names, else the first not yet back opened from the same File or URL), notes it and returns
   * true (the stack is to be put back in order).
   */
  cameBack(rasterId: string, match: { origin?: File | string | null; replaces?: string }): boolean {
    const taken = new Set(this.returned.keys())
    const old = this.stack.find((l) => !taken.has(l.rasterId) && (match.replaces !== undefined ? l.rasterId === match.replaces : match.origin != null && l.origin === match.origin))
    if (!old) return false
    this.returned.set(old.rasterId, rasterId)
    return true
  }

  /**
   * The order to give the layers `present` now (bottom first): those remembered in their old order
   * (by the ids they came back as), then any other in its present order, on top (opened since).
   */
  order(present: readonly string[]): string[] {
    const here = new Set(present)
    const remembered = this.stack.map((l) => this.returned.get(l.rasterId) ?? l.rasterId).filter((id) => here.has(id))
    const placed = new Set(remembered)
    return [...remembered, ...present.filter((id) => !placed.has(id))]
  }
}
