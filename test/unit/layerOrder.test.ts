/**
 * LayerOrder: files given together stack in the order given (the last on top) whatever order
 * their opens finish in; later batches stack above earlier ones; only a batch begun on an empty
 * view is fitted.
 */
import { describe, expect, it } from 'vitest'
import { LayerOrder } from '../../src/renderer/view/LayerOrder'

/** Applies placements to a plain stack (bottom first) as the viewer does. */
function stackOf(order: LayerOrder): { stack: string[]; add: (batch: Parameters<LayerOrder['place']>[0], index: number, id: string) => ReturnType<LayerOrder['place']> } {
  const stack: string[] = []
  return {
    stack,
    add(batch, index, id) {
      const placement = order.place(batch, index, id)
      if (placement.isNew) {
        const at = placement.below === null ? stack.length : stack.indexOf(placement.below)
        stack.splice(at, 0, id)
      }
      return placement
    }
  }
}

/** Every order in which `n` opens can finish. */
function permutations(n: number): number[][] {
  if (n === 1) return [[0]]
  return permutations(n - 1).flatMap((p) => Array.from({ length: n }, (_, i) => [...p.slice(0, i), n - 1, ...p.slice(i)]))
}

describe('LayerOrder', () => {
  it('stacks a batch in the order given, whatever order the opens finish in', () => {
    for (const finish of permutations(4)) {
      const order = new LayerOrder()
      const { stack, add } = stackOf(order)
      const batch = order.begin(4)
      for (const index of finish) add(batch, index, `f${index}`)
      expect(stack, `finished ${finish.join(',')}`).toEqual(['f0', 'f1', 'f2', 'f3'])
      expect(order.placed).toEqual(stack)
      expect(batch.settled).toBe(true)
    }
  })

  it('fits the first batch to all of its layers so far, and no later batch', () => {
    const order = new LayerOrder()
    const { add } = stackOf(order)
    const first = order.begin(2)
    expect(add(first, 1, 'small').fit).toEqual(['small'])
    expect(add(first, 0, 'big').fit).toEqual(['big', 'small'])
    const later = order.begin(1)
    expect(add(later, 0, 'later').fit).toBeNull()
  })

  it('a batch asked for while another is on its way is not the first view, and stacks above it', () => {
    const order = new LayerOrder()
    const { stack, add } = stackOf(order)
    const a = order.begin(2)
    const b = order.begin(2) // asked for before any of a opened
    expect(add(b, 1, 'b1').fit).toBeNull()
    expect(add(b, 0, 'b0').fit).toBeNull()
    expect(add(a, 1, 'a1').fit).toEqual(['a1'])
    add(a, 0, 'a0')
    expect(stack).toEqual(['a0', 'a1', 'b0', 'b1'])
  })

  it('a failed open leaves its slot; the others keep their order', () => {
    const order = new LayerOrder()
    const { stack, add } = stackOf(order)
    const batch = order.begin(3)
    add(batch, 2, 'c')
    order.fail(batch, 1)
    add(batch, 0, 'a')
    expect(stack).toEqual(['a', 'c'])
    expect(batch.settled).toBe(true)
    expect(order.pending).toBe(0)
  })

  it('a file added later goes on top and does not move the camera; after every layer is removed, the next one is fitted', () => {
    const order = new LayerOrder()
    const { stack, add } = stackOf(order)
    add(order.begin(1), 0, 'one')
    expect(add(order.begin(1), 0, 'two')).toEqual({ isNew: true, below: null, fit: null })
    expect(stack).toEqual(['one', 'two'])
    order.remove('one')
    order.remove('two')
    expect(add(order.begin(1), 0, 'three').fit).toEqual(['three'])
  })

  it('a host batch is begun on its first mention, by name, and forgotten once settled', () => {
    const order = new LayerOrder()
    const { stack, add } = stackOf(order)
    const late = order.hostBatch('command-line:1', 2, 1)!
    add(late, 1, 'r2')
    expect(order.hostBatch('command-line:1', 2, 0)).toBe(late)
    add(late, 0, 'r1')
    expect(stack).toEqual(['r1', 'r2'])
    expect(order.hostBatch('command-line:1', 2, 0)).not.toBe(late) // settled: a new mention is a new batch
    expect(order.hostBatch('x', 2, 2)).toBeNull()
    expect(order.hostBatch('x', 0, 0)).toBeNull()
    expect(order.hostBatch('x', 2, -1)).toBeNull()
  })

  it('a raster announced again (a new connection) keeps its place', () => {
    const order = new LayerOrder()
    const { stack, add } = stackOf(order)
    const first = order.hostBatch('command-line:1', 2, 0)!
    add(first, 0, 'r1')
    add(first, 1, 'r2')
    add(order.begin(1), 0, 'dropped')
    const again = order.hostBatch('command-line:2', 2, 1)!
    expect(add(again, 1, 'r2').isNew).toBe(false)
    expect(add(again, 0, 'r1').isNew).toBe(false)
    expect(stack).toEqual(['r1', 'r2', 'dropped'])
    expect(order.placed).toEqual(stack)
    expect(order.pending).toBe(0)
  })

  it('slots of host batches left waiting by a lost connection are given up', () => {
    const order = new LayerOrder()
    const { add } = stackOf(order)
    const batch = order.hostBatch('command-line:1', 3, 0)!
    add(batch, 0, 'r1')
    order.abandonNamed()
    expect(order.pending).toBe(0)
    expect(batch.settled).toBe(true)
    order.remove('r1')
    expect(add(order.begin(1), 0, 'next').fit).toEqual(['next'])
  })
})
