import { describe, expect, it } from 'vitest'
import { LayerShowing } from '../../src/renderer/ui/LayerShowing'

/** A host of plain records: the layers bottom first, what was fitted and selected. */
function fakeHost(ids: string[]) {
  const layers = ids.map((rasterId) => ({ rasterId, visible: true }))
  const log = { fitted: [] as string[], selected: [] as string[], changed: 0 }
  const host = {
    layers: () => layers,
    setVisible: (id: string, visible: boolean) => {
      layers.find((l) => l.rasterId === id)!.visible = visible
    },
    fitTo: (id: string) => log.fitted.push(id),
    select: (id: string) => log.selected.push(id),
    moveTo: (id: string, index: number) => {
      const from = layers.findIndex((l) => l.rasterId === id)
      const [layer] = layers.splice(from, 1)
      layers.splice(Math.max(0, Math.min(layers.length, index)), 0, layer!)
    },
    changed: () => log.changed++
  }
  const shown = () => layers.filter((l) => l.visible).map((l) => l.rasterId)
  return { host, layers, log, shown, remove: (id: string) => layers.splice(layers.findIndex((l) => l.rasterId === id), 1) }
}

describe('LayerShowing', () => {
  it('browses from the top of the stack: next wraps to the first, each shown alone and fitted', () => {
    const { host, log, shown } = fakeHost(['a', 'b', 'c'])
    const showing = new LayerShowing(host)
    showing.browse(1)
    expect(showing.mode).toBe('browse')
    expect(shown()).toEqual(['a'])
    expect(log.fitted).toEqual(['a'])
    showing.browse(1)
    expect(shown()).toEqual(['b'])
    showing.browse(-1)
    showing.browse(-1)
    expect(shown()).toEqual(['c'])
    expect(showing.activeIndex()).toBe(2)
  })

  it('toggles to one at a time at the top visible layer, and back to all of them', () => {
    const { host, shown, layers } = fakeHost(['a', 'b', 'c'])
    layers[2]!.visible = false
    const showing = new LayerShowing(host)
    showing.toggle()
    expect(shown()).toEqual(['b'])
    showing.toggle()
    expect(showing.mode).toBe('stack')
    expect(shown()).toEqual(['a', 'b', 'c'])
  })

  it('does not browse a single layer', () => {
    const { host } = fakeHost(['a'])
    const showing = new LayerShowing(host)
    showing.browse(1)
    showing.toggle()
    expect(showing.mode).toBe('stack')
  })

  it('solos a layer, and shows all again when it already is alone', () => {
    const { host, shown } = fakeHost(['a', 'b', 'c'])
    const showing = new LayerShowing(host)
    showing.solo('b')
    expect(shown()).toEqual(['b'])
    showing.solo('b')
    expect(shown()).toEqual(['a', 'b', 'c'])
  })

  it('moves a layer up and down, and onto another', () => {
    const { host, layers } = fakeHost(['a', 'b', 'c'])
    const showing = new LayerShowing(host)
    showing.move('a', 1)
    expect(layers.map((l) => l.rasterId)).toEqual(['b', 'a', 'c'])
    showing.moveOnto('c', 'b')
    expect(layers.map((l) => l.rasterId)).toEqual(['c', 'b', 'a'])
    showing.move(null, 1)
    expect(layers.map((l) => l.rasterId)).toEqual(['c', 'b', 'a'])
  })

  it('shows a file opened while browsing (issue 20: it was added hidden), and the top one when the one browsed goes', () => {
    const { host, shown, layers, remove, log } = fakeHost(['a', 'b', 'c'])
    const showing = new LayerShowing(host)
    showing.browse(1)
    layers.push({ rasterId: 'd', visible: true })
    showing.added('d')
    expect(shown()).toEqual(['d'])
    expect(log.fitted.at(-1)).toBe('d')
    expect(showing.browsed).toBe('d')
    remove('d')
    showing.removed('d')
    expect(shown()).toEqual(['c'])
    remove('b')
    remove('c')
    showing.removed('c')
    expect(showing.mode).toBe('stack')
    expect(shown()).toEqual(['a'])
  })

  it('shows a layer added to the stack with the others', () => {
    const { host, shown, layers } = fakeHost(['a'])
    const showing = new LayerShowing(host)
    layers.push({ rasterId: 'b', visible: true })
    showing.added('b')
    expect(showing.mode).toBe('stack')
    expect(shown()).toEqual(['a', 'b'])
  })

  it('browses files given together from the top one, whatever order they open in', () => {
    const { host, shown, layers } = fakeHost([])
    const showing = new LayerShowing(host)
    const batch = {}
    showing.startBrowsing()
    expect(showing.mode).toBe('browse')
    // The middle file opens first, then the top one, then the bottom one (stack order: x, y, z).
    layers.push({ rasterId: 'y', visible: true })
    showing.added('y', batch)
    expect(shown()).toEqual(['y'])
    layers.push({ rasterId: 'z', visible: true })
    showing.added('z', batch)
    expect(shown()).toEqual(['z'])
    layers.unshift({ rasterId: 'x', visible: true })
    showing.added('x', batch)
    expect(shown()).toEqual(['z'])
    expect(showing.browsed).toBe('z')
  })

  it('shows a file opened later alone even below the one browsed, when it came on its own', () => {
    const { host, shown, layers } = fakeHost(['a', 'b'])
    const showing = new LayerShowing(host)
    showing.browse(1)
    showing.browse(1)
    expect(shown()).toEqual(['b'])
    layers.unshift({ rasterId: 'c', visible: true })
    showing.added('c', {})
    expect(shown()).toEqual(['c'])
  })

  it('tells its host each time the layer browsed changes, and when browsing ends', () => {
    const { host } = fakeHost(['a', 'b'])
    const changes: Array<[string | null, string | null]> = []
    const showing = new LayerShowing({ ...host, browsedChanged: (previous, next) => changes.push([previous, next]) })
    showing.browse(1)
    showing.browse(1)
    showing.browse(1)
    showing.toggle()
    expect(changes).toEqual([
      [null, 'a'],
      ['a', 'b'],
      ['b', 'a'],
      ['a', null]
    ])
  })
})
