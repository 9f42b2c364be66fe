/**
 * A binary min-heap keyed by id, with removal and re-prioritisation by id (the model is
 * OpenLayers' `structs/PriorityQueue`). Knows nothing of images or tiles.
 *
 * Costs, n = items queued: push, pop, update O(log n); remove O(1) amortised; has, get, size
 * O(1); peek O(1) amortised. Removal is lazy: the node is marked and left in the heap until it
 * reaches the top or the removed nodes outnumber the queued ones, when the heap is rebuilt in
 * O(n). So a removed value must keep its order (do not change the fields `compare` reads)
 * while it may still be in the heap; values in the queue change order only through `update`.
 */
export type Compare<V> = (a: V, b: V) => number

interface Node<K, V> {
  key: K
  value: V
  index: number
  removed: boolean
}

/** Below this many removed nodes, never rebuild: a small heap is cheap to pop through. */
const MIN_REMOVED_BEFORE_REBUILD = 64

export class PriorityQueue<K, V> {
  private readonly heap: Array<Node<K, V>> = []
  private readonly nodes = new Map<K, Node<K, V>>()
  /** Nodes removed by key but still in `heap`. */
  private removedInHeap = 0

  /** `compare(a, b) < 0` means `a` is served before `b`. */
  constructor(private readonly compare: Compare<V>) {}

  get size(): number {
    return this.nodes.size
  }

  has(key: K): boolean {
    return this.nodes.has(key)
  }

  get(key: K): V | undefined {
    return this.nodes.get(key)?.value
  }

  /** The item served next, without removing it. O(1). */
  peek(): V | undefined {
    this.dropRemovedTop()
    return this.heap[0]?.value
  }

  /** Adds an item; throws if the key is queued already (use `update`). O(log n). */
  push(key: K, value: V): void {
    if (this.nodes.has(key)) throw new Error(`PriorityQueue: key ${String(key)} is already queued`)
    const node: Node<K, V> = { key, value, index: this.heap.length, removed: false }
    this.heap.push(node)
    this.nodes.set(key, node)
    this.siftUp(node.index)
  }

  /** Removes and returns the most urgent item. O(log n). */
  pop(): V | undefined {
    this.dropRemovedTop()
    const top = this.heap[0]
    if (!top) return undefined
    this.nodes.delete(top.key)
    this.removeAt(0)
    return top.value
  }

  /** Removes the item with this key; returns it, or undefined if absent. O(1) amortised. */
  remove(key: K): V | undefined {
    const node = this.nodes.get(key)
    if (!node) return undefined
    this.nodes.delete(key)
    if (node.index === this.heap.length - 1) {
      this.heap.pop()
    } else {
      node.removed = true
      this.removedInHeap++
      if (this.removedInHeap > MIN_REMOVED_BEFORE_REBUILD && this.removedInHeap > this.nodes.size) this.rebuild()
    }
    return node.value
  }

  /** Replaces the value of a queued key and restores heap order. O(log n). */
  update(key: K, value: V): void {
    const node = this.nodes.get(key)
    if (!node) throw new Error(`PriorityQueue: key ${String(key)} is not queued`)
    node.value = value
    this.siftUp(node.index)
    this.siftDown(node.index)
  }

  /** Removes every item; returns them in no particular order. O(n). */
  clear(): V[] {
    const values = Array.from(this.nodes.values(), (n) => n.value)
    this.heap.length = 0
    this.nodes.clear()
    this.removedInHeap = 0
    return values
  }

  /** Pops removed nodes off the top, so that the top is a queued item (or the heap is empty). */
  private dropRemovedTop(): void {
    while (this.heap.length > 0 && this.heap[0]!.removed) {
      this.removeAt(0)
      this.removedInHeap--
    }
  }

  /** Drops every removed node and restores heap order bottom-up. O(n). */
  private rebuild(): void {
    const heap = this.heap
    let write = 0
    for (let read = 0; read < heap.length; read++) {
      const node = heap[read]!
      if (node.removed) continue
      heap[write] = node
      node.index = write++
    }
    heap.length = write
    this.removedInHeap = 0
    for (let i = (write >> 1) - 1; i >= 0; i--) this.siftDown(i)
  }

  private removeAt(index: number): void {
    const last = this.heap.pop()!
    if (index < this.heap.length) {
      this.heap[index] = last
      last.index = index
      this.siftUp(index)
      this.siftDown(last.index)
    }
  }

  private siftUp(index: number): void {
    const heap = this.heap
    const node = heap[index]!
    while (index > 0) {
      const parentIndex = (index - 1) >> 1
      const parent = heap[parentIndex]!
      if (this.compare(node.value, parent.value) >= 0) break
      heap[index] = parent
      parent.index = index
      index = parentIndex
    }
    heap[index] = node
    node.index = index
  }

  private siftDown(index: number): void {
    const heap = this.heap
    const length = heap.length
    const node = heap[index]!
    for (;;) {
      const left = 2 * index + 1
      if (left >= length) break
      const right = left + 1
      let child = left
      if (right < length && this.compare(heap[right]!.value, heap[left]!.value) < 0) child = right
      const childNode = heap[child]!
      if (this.compare(childNode.value, node.value) >= 0) break
      heap[index] = childNode
      childNode.index = index
      index = child
    }
    heap[index] = node
    node.index = index
  }
}
