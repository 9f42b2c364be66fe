/** PriorityQueue: an indexed binary min-heap keyed by id, checked by hand and against a sorted model. */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { PriorityQueue } from '../../src/main/loader'

interface Item {
  priority: number
  sequence: number
}

const byPriorityThenSequence = (a: Item, b: Item): number => a.priority - b.priority || a.sequence - b.sequence
const numbers = (): PriorityQueue<string, number> => new PriorityQueue<string, number>((a, b) => a - b)

function drain<K, V>(queue: PriorityQueue<K, V>): V[] {
  const out: V[] = []
  for (let v = queue.pop(); v !== undefined; v = queue.pop()) out.push(v)
  return out
}

describe('PriorityQueue', () => {
  it('pops items smallest first', () => {
    const q = numbers()
    for (const [k, v] of [['e', 5], ['a', 1], ['d', 4], ['b', 2], ['c', 3]] as const) q.push(k, v)
    expect(drain(q)).toEqual([1, 2, 3, 4, 5])
  })

  it('returns undefined from pop and peek when empty', () => {
    const q = numbers()
    expect(q.pop()).toBeUndefined()
    expect(q.peek()).toBeUndefined()
    expect(q.size).toBe(0)
  })

  it('peeks at the item served next without removing it', () => {
    const q = numbers()
    q.push('b', 2)
    q.push('a', 1)
    expect(q.peek()).toBe(1)
    expect(q.size).toBe(2)
  })

  it('finds queued items by key with has and get', () => {
    const q = numbers()
    q.push('a', 7)
    expect(q.has('a')).toBe(true)
    expect(q.get('a')).toBe(7)
    expect(q.has('b')).toBe(false)
    expect(q.get('b')).toBeUndefined()
  })

  it('refuses to push a key that is already queued', () => {
    const q = numbers()
    q.push('a', 1)
    expect(() => q.push('a', 2)).toThrow('PriorityQueue: key a is already queued')
    expect(q.size).toBe(1)
  })

  it('removes an item by key and keeps the others in order', () => {
    const q = numbers()
    for (let i = 0; i < 10; i++) q.push(`k${i}`, i)
    expect(q.remove('k0')).toBe(0)
    expect(q.remove('k5')).toBe(5)
    expect(q.remove('k5')).toBeUndefined()
    expect(q.has('k5')).toBe(false)
    expect(drain(q)).toEqual([1, 2, 3, 4, 6, 7, 8, 9])
  })

  it('keeps order when an item in the middle of the heap is removed', () => {
    const q = numbers()
    for (const v of [5, 4, 7, 3, 6, 2, 1]) q.push(`k${v}`, v)
    q.remove('k5')
    expect(drain(q)).toEqual([1, 2, 3, 4, 6, 7])
  })

  it('re-orders an item whose value is updated, both up and down', () => {
    const q = numbers()
    for (let i = 0; i < 6; i++) q.push(`k${i}`, i * 10)
    q.update('k5', -1)
    q.update('k0', 100)
    expect(drain(q)).toEqual([-1, 10, 20, 30, 40, 100])
  })

  it('refuses to update a key that is not queued', () => {
    expect(() => numbers().update('x', 1)).toThrow('PriorityQueue: key x is not queued')
  })

  it('clear empties the queue and returns every item', () => {
    const q = numbers()
    for (let i = 0; i < 5; i++) q.push(`k${i}`, i)
    expect(q.clear().sort()).toEqual([0, 1, 2, 3, 4])
    expect(q.size).toBe(0)
    expect(q.has('k1')).toBe(false)
    q.push('k1', 1)
    expect(q.pop()).toBe(1)
  })

  it('accepts a key again once it has left the queue', () => {
    const q = numbers()
    q.push('a', 1)
    q.pop()
    q.push('a', 2)
    q.remove('a')
    q.push('a', 3)
    expect(q.get('a')).toBe(3)
  })

  it('drains in sorted order after removing any subset of distinct items, however many', () => {
    const values = fc.uniqueArray(fc.integer({ min: -10_000, max: 10_000 }), { minLength: 1, maxLength: 400 })
    fc.assert(
      fc.property(
        values.chain((v) => fc.tuple(fc.constant(v), fc.array(fc.boolean(), { minLength: v.length, maxLength: v.length }))),
        ([values, removed]) => {
          const q = numbers()
          for (const v of values) q.push(`k${v}`, v)
          const kept = values.filter((v, i) => !(removed[i] && q.remove(`k${v}`) === v))
          expect(q.size).toBe(kept.length)
          expect(q.peek()).toBe(kept.length ? Math.min(...kept) : undefined)
          expect(drain(q)).toEqual(kept.sort((a, b) => a - b))
        }
      ),
      { numRuns: 300 }
    )
  })

  it('keeps order and size through removal of most of a large queue, then more pushes', () => {
    const q = numbers()
    for (let i = 0; i < 1000; i++) q.push(`k${i}`, (i * 7919) % 1000)
    for (let i = 0; i < 1000; i++) if (i % 10 !== 0) q.remove(`k${i}`)
    expect(q.size).toBe(100)
    for (let i = 1000; i < 1050; i++) q.push(`k${i}`, -i)
    const expected = [
      ...Array.from({ length: 50 }, (_, j) => -(1049 - j)),
      ...Array.from({ length: 100 }, (_, j) => ((j * 10) * 7919) % 1000).sort((a, b) => a - b)
    ]
    expect(drain(q)).toEqual(expected)
    expect(q.size).toBe(0)
  })

  type Op =
    | { op: 'push'; key: number; priority: number }
    | { op: 'pop' }
    | { op: 'remove'; key: number }
    | { op: 'update'; key: number; priority: number }

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
        const q = new PriorityQueue<number, Item>(byPriorityThenSequence)
        // The model: a map of key → item, whose minimum is found by sorting.
        const model = new Map<number, Item>()
        let sequence = 0
        const modelMin = (): [number, Item] | undefined =>
          [...model].sort(([, a], [, b]) => byPriorityThenSequence(a, b))[0]
        for (const op of ops) {
          switch (op.op) {
            case 'push': {
              const item = { priority: op.priority, sequence: sequence++ }
              if (model.has(op.key)) {
                expect(() => q.push(op.key, item)).toThrow()
              } else {
                q.push(op.key, item)
                model.set(op.key, item)
              }
              break
            }
            case 'pop': {
              const min = modelMin()
              expect(q.pop()).toBe(min?.[1])
              if (min) model.delete(min[0])
              break
            }
            case 'remove':
              expect(q.remove(op.key)).toBe(model.get(op.key))
              model.delete(op.key)
              break
            case 'update': {
              const old = model.get(op.key)
              const item = { priority: op.priority, sequence: old?.sequence ?? -1 }
              if (old) {
                q.update(op.key, item)
                model.set(op.key, item)
              } else {
                expect(() => q.update(op.key, item)).toThrow()
              }
              break
            }
          }
          expect(q.size).toBe(model.size)
          expect(q.peek()).toBe(modelMin()?.[1])
        }
        const rest = [...model.values()].sort(byPriorityThenSequence)
        expect(drain(q)).toEqual(rest)
        for (const key of model.keys()) expect(q.has(key)).toBe(false)
      }),
      { numRuns: 300 }
    )
  })
})
