import { describe, expect, it } from 'vitest'
import { TextureCache, type CacheEntry } from '../../src/renderer/view/TextureCache'

function cache(budgetBytes: number) {
  const evicted: string[] = []
  const c = new TextureCache<string>({ budgetBytes, onEvict: (e: CacheEntry<string>) => evicted.push(e.key) })
  return { c, evicted }
}

describe('TextureCache', () => {
  it('keeps entries within the byte budget, evicting the least recently used first', () => {
    const { c, evicted } = cache(300)
    c.set('a', 'A', 100)
    c.set('b', 'B', 100)
    c.set('c', 'C', 100)
    c.get('a')
    c.set('d', 'D', 100)
    expect(evicted).toEqual(['b'])
    expect(c.bytes).toBe(300)
    expect(c.has('a') && c.has('c') && c.has('d')).toBe(true)
  })

  it('never evicts pinned or in-use entries, even over budget', () => {
    const { c, evicted } = cache(200)
    c.set('pinned', 'P', 100, { pinned: true })
    c.set('used', 'U', 100)
    c.setInUse('used', true)
    c.set('x', 'X', 100)
    expect(evicted).toEqual(['x'])
    expect(c.bytes).toBe(200)
    c.budgetBytes = 100
    expect(evicted).toEqual(['x'])
    c.setInUse('used', false)
    c.evict()
    expect(evicted).toEqual(['x', 'used'])
  })

  it('calls onEvict once per entry that leaves (replace, delete, clear)', () => {
    const { c, evicted } = cache(1000)
    c.set('a', 'A', 10)
    c.set('a', 'A2', 10)
    c.set('b', 'B', 10)
    c.delete('b')
    c.clear()
    c.clear()
    expect(evicted).toEqual(['a', 'b', 'a'])
    expect(c.size).toBe(0)
    expect(c.bytes).toBe(0)
  })

  it('evicts down to a lowered budget', () => {
    const { c, evicted } = cache(1000)
    for (const k of ['a', 'b', 'c']) c.set(k, k, 100)
    c.budgetBytes = 150
    expect(evicted).toEqual(['a', 'b'])
  })

  it('removes the entries a predicate selects', () => {
    const { c } = cache(1000)
    c.set('r1/0/0/0', 'x', 1)
    c.set('r2/0/0/0', 'y', 1)
    expect(c.deleteWhere((e) => e.key.startsWith('r1/'))).toBe(1)
    expect(c.has('r2/0/0/0')).toBe(true)
  })

  it('rejects a budget that is not a positive number, naming it', () => {
    expect(() => new TextureCache({ budgetBytes: -3 })).toThrow(/budgetBytes but received -3/)
  })
})
