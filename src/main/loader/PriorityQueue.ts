/**
 * A priority queue keyed by id, with removal and re-prioritisation by id (the model is
 * OpenLayers' `structs/PriorityQueue`), on top of `IndexedHeap`. Knows nothing of images or tiles.
 *
 * Costs, n = items queued: push, pop, remove, update O(log n); has, get, peek, size O(1).
 */
import { IndexedHeap } from './IndexedHeap'

export type Compare<V> = (a: V, b: V) => number

interface Node<K, V> {
  key: K
  value: V
  heapIndex: number
}

export class PriorityQueue<K, V> {
  private readonly heap: IndexedHeap<Node<K, V>>
  private readonly nodes = new Map<K, Node<K, V>>()

  /** `compare(a, b) < 0` means `a` is served before `b`. */
  constructor(compare: Compare<V>) {
    this.heap = new IndexedHeap<Node<K, V>>((a, b) => compare(a.value, b.value))
  }

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
    return this.heap.peek()?.value
  }

  /** Adds an item; throws if the key is queued already (use `update`). O(log n). */
  push(key: K, value: V): void {
    if (this.nodes.has(key)) throw new Error(`PriorityQueue: key ${String(key)} is already queued`)
    const node: Node<K, V> = { key, value, heapIndex: -1 }
    this.nodes.set(key, node)
    this.heap.push(node)
  }

  /** Removes and returns the most urgent item. O(log n). */
  pop(): V | undefined {
    const top = this.heap.pop()
    if (!top) return undefined
    this.nodes.delete(top.key)
    return top.value
  }

  /** Removes the item with this key; returns it, or undefined if absent. O(log n). */
  remove(key: K): V | undefined {
    const node = this.nodes.get(key)
    if (!node) return undefined
    this.nodes.delete(key)
    this.heap.remove(node)
    return node.value
  }

  /** Replaces the value of a queued key and restores heap order. O(log n). */
  update(key: K, value: V): void {
    const node = this.nodes.get(key)
    if (!node) throw new Error(`PriorityQueue: key ${String(key)} is not queued`)
    node.value = value
    this.heap.update(node)
  }

  /** Removes every item; returns them in no particular order. O(n). */
  clear(): V[] {
    const values = this.heap.clear().map((node) => node.value)
    this.nodes.clear()
    return values
  }
}
