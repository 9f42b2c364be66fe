/**
 * Where each layer goes in the stack. Files given together (a drop of several files, the command
 * line, File > Open with several files, a folder) form a batch: each takes a slot, in the order
 * given, the moment it is asked for, and its layer goes into its slot when its open finishes,
 * whatever order the opens finish in: the last given ends on top, as if they had opened one after
 * another, while they open at once. A batch asked for later stacks above the earlier ones.
 *
 * A batch asked for while nothing is shown nor on its way is the first view: it is fitted, to all
 * of its layers opened so far, each time one comes. Any later batch leaves the camera alone.
 *
 * Pure bookkeeping (no Pixi, no DOM): the viewer inserts where `place` says.
 */

/** What to do with a layer whose open finished. */
export interface Placement {
  /**
   * False when this raster already has a place (announced again by a new connection): nothing
   * to insert, the existing layer stays where it is.
   */
  isNew: boolean
  /** The raster to insert the layer under, or null: on top of every layer. */
  below: string | null
  /** Rasters to fit the camera to (the first batch's layers so far, bottom first), or null: leave the camera. */
  fit: string[] | null
}

type SlotState = 'pending' | 'placed' | 'gone'

interface Slot {
  state: SlotState
  rasterId: string | null
}

/** Files given together, one slot each in the order given. */
export class OpenBatch {
  /** @internal Slots in the order given (bottom first). */
  readonly slots: Slot[]
  /** Asked for on an empty view: fitted as its layers come. */
  readonly fits: boolean

  /** @internal Made by `LayerOrder.begin`. */
  constructor(size: number, fits: boolean) {
    this.slots = Array.from({ length: size }, () => ({ state: 'pending' as SlotState, rasterId: null }))
    this.fits = fits
  }

  get size(): number {
    return this.slots.length
  }

  /** Every slot has settled (its layer placed, its open failed, or it was dropped). */
  get settled(): boolean {
    return this.slots.every((slot) => slot.state !== 'pending')
  }
}

export class LayerOrder {
  /** Every slot not gone, bottom first: pending ones keep their place for the layer to come. */
  private stack: Slot[] = []
  /** Batches named by the host (OpenBatchSlot.batch), until they settle. */
  private readonly named = new Map<string, OpenBatch>()

  /** Reserves `size` slots on top of the stack, in the order given (the last on top). */
  begin(size: number): OpenBatch {
    const batch = new OpenBatch(size, this.stack.length === 0)
    this.stack.push(...batch.slots)
    return batch
  }

  /**
   * The batch the host named `name`, begun (with `size` slots) on its first mention. Null when
   * the place is impossible (an index outside the batch, or a size that changed).
   */
  hostBatch(name: string, size: number, index: number): OpenBatch | null {
    if (!Number.isInteger(size) || !Number.isInteger(index) || size < 1 || index < 0 || index >= size) return null
    let batch = this.named.get(name)
    if (!batch) {
      batch = this.begin(size)
      this.named.set(name, batch)
    }
    return batch.size === size ? batch : null
  }

  /** The layer of slot `index` of `batch` opened: where it goes, and what to fit. */
  place(batch: OpenBatch, index: number, rasterId: string): Placement {
    const slot = batch.slots[index]
    if (!slot || slot.state !== 'pending') {
      // Announced twice: already placed (or its slot was abandoned): a raster without a place goes on top.
      return this.has(rasterId) ? { isNew: false, below: null, fit: null } : this.place(this.begin(1), 0, rasterId)
    }
    if (this.has(rasterId)) {
      this.drop(slot)
      this.settle(batch)
      return { isNew: false, below: null, fit: null }
    }
    slot.state = 'placed'
    slot.rasterId = rasterId
    const at = this.stack.indexOf(slot)
    const above = this.stack.slice(at + 1).find((s) => s.state === 'placed')
    this.settle(batch)
    return {
      isNew: true,
      below: above?.rasterId ?? null,
      fit: batch.fits ? batch.slots.filter((s) => s.state === 'placed').map((s) => s.rasterId!) : null
    }
  }

  /** The open of slot `index` of `batch` failed (or was given up): the slot leaves the stack. */
  fail(batch: OpenBatch, index: number): void {
    const slot = batch.slots[index]
    if (!slot || slot.state !== 'pending') return
    this.drop(slot)
    this.settle(batch)
  }

  /** Gives up every slot still waiting in batches the host named (their connection is gone). */
  abandonNamed(): void {
    for (const batch of [...this.named.values()]) {
      batch.slots.forEach((_, index) => this.fail(batch, index))
    }
    this.named.clear()
  }

  /** A layer was removed: its slot leaves the stack. */
  remove(rasterId: string): void {
    const slot = this.stack.find((s) => s.state === 'placed' && s.rasterId === rasterId)
    if (slot) this.drop(slot)
  }

  /** Rasters placed, bottom first (what the viewer's stack must be). */
  get placed(): string[] {
    return this.stack.filter((s) => s.state === 'placed').map((s) => s.rasterId!)
  }

  /** Slots waiting for their open. */
  get pending(): number {
    return this.stack.filter((s) => s.state === 'pending').length
  }

  private has(rasterId: string): boolean {
    return this.stack.some((s) => s.state === 'placed' && s.rasterId === rasterId)
  }

  private drop(slot: Slot): void {
    slot.state = 'gone'
    const at = this.stack.indexOf(slot)
    if (at >= 0) this.stack.splice(at, 1)
  }

  private settle(batch: OpenBatch): void {
    if (!batch.settled) return
    for (const [name, named] of this.named) if (named === batch) this.named.delete(name)
  }
}
