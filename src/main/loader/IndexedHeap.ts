/**
 * A binary min-heap whose items carry their own position (`heapIndex`), so that removing or
 * re-prioritising an item needs no lookup and no allocation. It knows nothing of images: the
 * loader's queues (and its eviction orders) are ones.
 *
 * Costs, n = items in the heap: push, pop, remove, update O(log n); peek, contains O(1).
 */
export interface HeapSlot {
  /** Position in the heap, or -1 when the item is not in it. Owned by the heap. */
  heapIndex: number
}

export class IndexedHeap<V extends HeapSlot> {
  private readonly items: V[] = []

  /** `compare(a, b) < 0` means `a` is served before `b`. */
  constructor(private readonly compare: (a: V, b: V) => number) {}

  get size(): number {
    return this.items.length
  }

  /** True when `item` is in this heap. O(1). */
  contains(item: V): boolean {
    return item.heapIndex >= 0 && this.items[item.heapIndex] === item
  }

  /** The item served next, without removing it. O(1). */
  peek(): V | undefined {
    return this.items[0]
  }

  /** Adds an item that is in no heap. O(log n). */
  push(item: V): void {
    item.heapIndex = this.items.length
    this.items.push(item)
    this.siftUp(item.heapIndex)
  }

  /** Removes and returns the most urgent item. O(log n). */
  pop(): V | undefined {
    const top = this.items[0]
    if (top) this.removeAt(0)
    return top
  }

  /** Removes `item`; returns false when it was not in the heap. O(log n). */
  remove(item: V): boolean {
    if (!this.contains(item)) return false
    this.removeAt(item.heapIndex)
    return true
  }

  /** Restores order after the fields that `compare` reads changed on `item`. O(log n). */
  update(item: V): void {
    if (!this.contains(item)) return
    this.siftUp(item.heapIndex)
    this.siftDown(item.heapIndex)
  }

  /** Removes every item; returns them in no particular order. O(n). */
  clear(): V[] {
    const all = this.items.splice(0)
    for (const item of all) item.heapIndex = -1
    return all
  }

  private removeAt(index: number): void {
    const items = this.items
    const removed = items[index]!
    const last = items.pop()!
    removed.heapIndex = -1
    if (index < items.length) {
      items[index] = last
      last.heapIndex = index
      this.siftUp(index)
      this.siftDown(last.heapIndex)
    }
  }

  private siftUp(index: number): void {
    const items = this.items
    const item = items[index]!
    while (index > 0) {
      const parentIndex = (index - 1) >> 1
      const parent = items[parentIndex]!
      if (this.compare(item, parent) >= 0) break
      items[index] = parent
      parent.heapIndex = index
      index = parentIndex
    }
    items[index] = item
    item.heapIndex = index
  }

  private siftDown(index: number): void {
    const items = this.items
    const length = items.length
    const item = items[index]!
    for (;;) {
      const left = 2 * index + 1
      if (left >= length) break
      const right = left + 1
      const child = right < length && this.compare(items[right]!, items[left]!) < 0 ? right : left
      const childItem = items[child]!
      if (this.compare(childItem, item) >= 0) break
      items[index] = childItem
      childItem.heapIndex = index
      index = child
    }
    items[index] = item
    item.heapIndex = index
  }
}
