/**
 * IndexedHeap, the loader's queue: a binary min-heap whose items carry their position, checked by
 * hand and against a sorted model (it replaces PriorityQueue, a keyed wrapper nothing used).
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { IndexedHeap } from '../../src/main/loader'

interface Item {
  priority: number
  sequence: number
  heapIndex: number
}

const byPriorityThenSequence = (a: Item, b: Item): number => a.priority - b.priority || a.sequence - b.sequence
let sequence = 0
const item = (priority: number): Item => ({ priority, sequence: sequence++, heapIndex: -1 })
const heap = (): IndexedHeap<Item> => new IndexedHeap<Item>(byPriorityThenSequence)

function drain(h: IndexedHeap<Item>): number[] {
  const out: number[] = []
  for (let v = h.pop(); v !== undefined; v = h.pop()) out.push(v.priority)
  return out
}

describe('IndexedHeap', () => {
  it('pops items smallest first, and FIFO among equals with a sequence', () => {
    const h = heap()
    const items = [5, 1, 4, 2, 3, 1].map(item)
    for (const i of items) h.push(i)
    expect(h.pop()).toBe(items[1])
    expect(h.pop()).toBe(items[5])
    expect(drain(h)).toEqual([2, 3, 4, 5])
  })

  it('returns undefined from pop and peek when empty', () => {
    const h = heap()
    expect(h.pop()).toBeUndefined()
    expect(h.peek()).toBeUndefined()
    expect(h.size).toBe(0)
  })

  it('peeks at the item served next without removing it', () => {
    const h = heap()
    h.push(item(2))
    const first = item(1)
    h.push(first)
    expect(h.peek()).toBe(first)
    expect(h.size).toBe(2)
  })

  it('knows its items by their own index, and an item that left is no longer in it', () => {
    const h = heap()
    const a = item(1)
    expect(h.contains(a)).toBe(false)
    h.push(a)
    expect(h.contains(a)).toBe(true)
    h.pop()
    expect(h.contains(a)).toBe(false)
    expect(a.heapIndex).toBe(-1)
  })

  it('removes an item and keeps the others in order; removing it again returns false', () => {
    const h = heap()
    const items = [5, 4, 7, 3, 6, 2, 1].map(item)
    for (const i of items) h.push(i)
    expect(h.remove(items[0]!)).toBe(true)
    expect(h.remove(items[0]!)).toBe(false)
    expect(drain(h)).toEqual([1, 2, 3, 4, 6, 7])
  })

  it('re-orders an item whose priority changed, both up and down; ignores one not in the heap', () => {
    const h = heap()
    const items = [0, 10, 20, 30, 40, 50].map(item)
    for (const i of items) h.push(i)
    items[5]!.priority = -1
    h.update(items[5]!)
    items[0]!.priority = 100
    h.update(items[0]!)
    h.update(item(-5))
    expect(drain(h)).toEqual([-1, 10, 20, 30, 40, 100])
  })

  it('clear empties the heap, returns every item and marks them out', () => {
    const h = heap()
    const items = [0, 1, 2, 3, 4].map(item)
    for (const i of items) h.push(i)
    expect(h.clear().map((i) => i.priority).sort()).toEqual([0, 1, 2, 3, 4])
    expect(h.size).toBe(0)
    expect(items.every((i) => i.heapIndex === -1 && !h.contains(i))).toBe(true)
    h.push(items[1]!)
    expect(h.pop()).toBe(items[1])
  })

  it('keeps order and size through removal of most of a large heap, then more pushes', () => {
    const h = heap()
    const items = Array.from({ length: 1000 }, (_, i) => item((i * 7919) % 1000))
    for (const i of items) h.push(i)
    items.forEach((it, i) => i % 10 !== 0 && h.remove(it))
    expect(h.size).toBe(100)
    for (let i = 1000; i < 1050; i++) h.push(item(-i))
    const expected = [
      ...Array.from({ length: 50 }, (_, j) => -(1049 - j)),
      ...Array.from({ length: 100 }, (_, j) => (j * 10 * 7919) % 1000).sort((a, b) => a - b)
    ]
    expect(drain(h)).toEqual(expected)
  })

  type Op = { op: 'push'; key: number; priority: number } | { op: 'pop' } | { op: 'remove'; key: number } | { op: 'update'; key: number; priority: number }
  const key = fc.nat(60)
  const priority = fc.integer({ min: -50, max: 50 })
  const opArb: fc.Arbitrary<Op> = fc.oneof(
    { weight: 6, arbitrary: fc.record({ op: fc.constant('push' as const), key, priority }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('pop' as const) }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('remove' as const), key }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('update' as const), key, priority }) }
  )

  it('serves items in the order of a sorted model under random push, pop, remove and update', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 300 }), (ops) => {
        const h = heap()
        // The model: key → item, whose minimum is found by sorting.
        const model = new Map<number, Item>()
        const modelMin = (): [number, Item] | undefined => [...model].sort(([, a], [, b]) => byPriorityThenSequence(a, b))[0]
        for (const op of ops) {
          switch (op.op) {
            case 'push':
              if (!model.has(op.key)) {
                const it = item(op.priority)
                h.push(it)
                model.set(op.key, it)
              }
              break
            case 'pop': {
              const min = modelMin()
              expect(h.pop()).toBe(min?.[1])
              if (min) model.delete(min[0])
              break
            }
            case 'remove': {
              const it = model.get(op.key)
              if (it) expect(h.remove(it)).toBe(true)
              model.delete(op.key)
              break
            }
            case 'update': {
              const it = model.get(op.key)
              if (it) {
                it.priority = op.priority
                h.update(it)
              }
              break
            }
          }
          expect(h.size).toBe(model.size)
          expect(h.peek()).toBe(modelMin()?.[1])
        }
        const rest = [...model.values()].sort(byPriorityThenSequence).map((i) => i.priority)
        expect(drain(h)).toEqual(rest)
      }),
      { numRuns: 300 }
    )
  })
})
