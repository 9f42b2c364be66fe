/**
 * A least-recently-used cache with a byte budget. It knows nothing of Pixi: what an entry holds
 * and how it is released is the owner's business (`onEvict`), so it is tested without a GPU.
 *
 * Entries can be pinned (the coarsest levels: never evicted) or in use (drawn this frame: evicted
 * only once released); the budget may then be exceeded until they are released.
 */

/** Default byte budget: 512 MB. */
export const DEFAULT_TEXTURE_BUDGET = 512 * 1024 * 1024

export interface CacheEntry<V> {
  readonly key: string
  readonly value: V
  readonly bytes: number
  pinned: boolean
  inUse: boolean
}

export interface TextureCacheOptions<V> {
  /** Bytes the entries may hold together; default DEFAULT_TEXTURE_BUDGET. */
  budgetBytes?: number
  /** Called once for each entry leaving the cache (evicted, replaced, deleted or cleared). */
  onEvict?: (entry: CacheEntry<V>, reason: 'evicted' | 'replaced' | 'deleted') => void
}

export class TextureCache<V> {
  static readonly defaultOptions = { budgetBytes: DEFAULT_TEXTURE_BUDGET }
  /** Map order is recency: the first entry is the least recently used. */
  private readonly entries = new Map<string, CacheEntry<V>>()
  private totalBytes = 0
  private budget: number
  private readonly onEvict: TextureCacheOptions<V>['onEvict']

  constructor(options: TextureCacheOptions<V> = {}) {
    this.budget = checkBudget(options.budgetBytes ?? TextureCache.defaultOptions.budgetBytes)
    this.onEvict = options.onEvict
  }

  /** Bytes held by all entries. */
  get bytes(): number {
    return this.totalBytes
  }

  get size(): number {
    return this.entries.size
  }

  get budgetBytes(): number {
    return this.budget
  }

  /** Changes the budget and evicts down to it. */
  set budgetBytes(value: number) {
    this.budget = checkBudget(value)
    this.evict()
  }

  has(key: string): boolean {
    return this.entries.has(key)
  }

  /** The entry, marked most recently used. O(1). */
  get(key: string): CacheEntry<V> | undefined {
    const entry = this.entries.get(key)
    if (entry) {
      this.entries.delete(key)
      this.entries.set(key, entry)
    }
    return entry
  }

  /** The entry without touching its recency. */
  peek(key: string): CacheEntry<V> | undefined {
    return this.entries.get(key)
  }

  /**
   * Inserts (or replaces) an entry as most recently used, then evicts least recently used entries
   * while over budget. Returns the entry.
   */
  set(key: string, value: V, bytes: number, options: { pinned?: boolean } = {}): CacheEntry<V> {
    if (!(Number.isFinite(bytes) && bytes >= 0)) {
      throw new RangeError(`Expected a non-negative byte count for ${key} but received ${String(bytes)}`)
    }
    this.remove(key, 'replaced')
    const entry: CacheEntry<V> = { key, value, bytes, pinned: options.pinned ?? false, inUse: false }
    this.entries.set(key, entry)
    this.totalBytes += bytes
    this.evict()
    return entry
  }

  /** Removes an entry (calling `onEvict`); false when absent. */
  delete(key: string): boolean {
    return this.remove(key, 'deleted')
  }

  /** Removes every entry whose key passes `predicate` (e.g. one layer's tiles). */
  deleteWhere(predicate: (entry: CacheEntry<V>) => boolean): number {
    let count = 0
    for (const entry of [...this.entries.values()]) {
      if (predicate(entry) && this.remove(entry.key, 'deleted')) count++
    }
    return count
  }

  /** Marks an entry as drawn (not evictable) or released. */
  setInUse(key: string, inUse: boolean): void {
    const entry = this.entries.get(key)
    if (entry) entry.inUse = inUse
  }

  /**
   * Evicts least recently used entries, skipping pinned and in-use ones, until within budget.
   * Cost: proportional to the entries visited.
   */
  evict(): number {
    let evicted = 0
    if (this.totalBytes <= this.budget) return 0
    for (const entry of [...this.entries.values()]) {
      if (this.totalBytes <= this.budget) break
      if (entry.pinned || entry.inUse) continue
      this.remove(entry.key, 'evicted')
      evicted++
    }
    return evicted
  }

  /** Removes everything. Idempotent. */
  clear(): void {
    this.deleteWhere(() => true)
  }

  private remove(key: string, reason: 'evicted' | 'replaced' | 'deleted'): boolean {
    const entry = this.entries.get(key)
    if (!entry) return false
    this.entries.delete(key)
    this.totalBytes -= entry.bytes
    this.onEvict?.(entry, reason)
    return true
  }
}

function checkBudget(value: number): number {
  if (!(Number.isFinite(value) && value > 0)) {
    throw new RangeError(`Expected a positive byte count for budgetBytes but received ${String(value)} of type ${typeof value}`)
  }
  return value
}
