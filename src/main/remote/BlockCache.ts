/**
 * The bytes of remote files, in aligned blocks, bounded in bytes across all files: one LRU (a Map
 * in use order) for the process, so that many open URLs share one budget. Each block is its own
 * copy, so that the count is the memory held.
 */

export class BlockCache {
  /** Key `${fileId}:${block}`, in least- to most-recently-used order. */
  private readonly blocks = new Map<string, { fileId: number; bytes: Uint8Array }>()
  private readonly perFile = new Map<number, number>()
  private total = 0

  constructor(readonly budgetBytes: number) {
    if (!Number.isInteger(budgetBytes) || budgetBytes < 0) throw new TypeError(`Expected a non-negative integer for budgetBytes but received ${String(budgetBytes)}`)
  }

  /** The block, marked used now; undefined when not held. O(1). */
  get(fileId: number, block: number): Uint8Array | undefined {
    const key = `${fileId}:${block}`
    const entry = this.blocks.get(key)
    if (!entry) return undefined
    this.blocks.delete(key)
    this.blocks.set(key, entry)
    return entry.bytes
  }

  /** True when the block is held (its use not marked). */
  has(fileId: number, block: number): boolean {
    return this.blocks.has(`${fileId}:${block}`)
  }

  /** Keeps `bytes` (not copied: give the cache its own) as the block, then evicts the least used past the budget. */
  put(fileId: number, block: number, bytes: Uint8Array): void {
    const key = `${fileId}:${block}`
    this.remove(key)
    this.blocks.set(key, { fileId, bytes })
    this.count(fileId, bytes.byteLength)
    for (const [oldest, entry] of this.blocks) {
      if (this.total <= this.budgetBytes) break
      this.blocks.delete(oldest)
      this.count(entry.fileId, -entry.bytes.byteLength)
    }
  }

  /** Forgets every block of `fileId` (closed, or changed on the server). O(blocks held). */
  dropFile(fileId: number): void {
    if (!this.perFile.has(fileId)) return
    for (const [key, entry] of this.blocks) if (entry.fileId === fileId) this.remove(key)
  }

  bytesOf(fileId: number): number {
    return this.perFile.get(fileId) ?? 0
  }

  get totalBytes(): number {
    return this.total
  }

  private remove(key: string): void {
    const entry = this.blocks.get(key)
    if (!entry) return
    this.blocks.delete(key)
    this.count(entry.fileId, -entry.bytes.byteLength)
  }

  private count(fileId: number, delta: number): void {
    this.total += delta
    const now = (this.perFile.get(fileId) ?? 0) + delta
    if (now === 0) this.perFile.delete(fileId)
    else this.perFile.set(fileId, now)
  }
}
