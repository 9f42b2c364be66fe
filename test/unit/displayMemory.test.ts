/**
 * What a value layer remembers of each way of showing it (`src/renderer/view/displayMemory.ts`):
 * its last RGB composite and its last single band, each brought back when switched to again.
 */
import { describe, expect, it } from 'vitest'
import { applyDisplayChange, type LayerDisplay, type LayerDisplayChange } from '../../src/renderer/view/bandPixels'
import { NOTHING_REMEMBERED, defaultComposite, modeOf, remember, switchMode, type DisplayMemory, type DisplayMode } from '../../src/renderer/view/displayMemory'

const BANDS = 6

/** A layer's display and memory, changed as the layers panel changes them. */
class Layer {
  memory: DisplayMemory = NOTHING_REMEMBERED
  constructor(public display: LayerDisplay) {}

  change(change: LayerDisplayChange): void {
    this.display = applyDisplayChange(this.display, change, BANDS)
  }

  show(mode: DisplayMode): void {
    const switched = switchMode(this.display, this.memory, mode, BANDS)
    this.memory = switched.memory
    this.change(switched.change)
  }
}

/** A 6-band scene opened at bands 3-2-1, every band at its own default range. */
function opened(): Layer {
  const ranges = Array.from({ length: BANDS }, (_, b) => ({ min: b * 10, max: b * 10 + 100 }))
  return new Layer({ bands: [2, 1, 0], ranges, colormap: 'grey' })
}

describe('display memory', () => {
  it('brings back the RGB composite the person made after a single band was shown', () => {
    const layer = opened()
    layer.change({ bands: [3, 2, 1] })
    layer.change({ ranges: { 3: { min: 5, max: 60 }, 2: { min: 7, max: 70 }, 1: { min: 9, max: 80 } } })
    layer.show('single')
    expect(layer.display.bands).toEqual([3])
    // In single mode the person stretches band 4 otherwise and picks other bands.
    layer.change({ ranges: { 3: { min: 0, max: 1000 } }, colormap: 'viridis' })
    layer.change({ bands: [2] })
    layer.change({ ranges: { 2: { min: -1, max: 1 } } })
    layer.show('rgb')
    expect(layer.display.bands).toEqual([3, 2, 1])
    expect([3, 2, 1].map((b) => layer.display.ranges[b])).toEqual([{ min: 5, max: 60 }, { min: 7, max: 70 }, { min: 9, max: 80 }])
  })

  it('brings back the last single band, its range and colour map after RGB was shown', () => {
    const layer = opened()
    layer.show('single')
    layer.change({ bands: [4] })
    layer.change({ ranges: { 4: { min: 1, max: 2 } }, colormap: 'terrain' })
    layer.show('rgb')
    expect(layer.display.bands).toEqual([2, 1, 0])
    // The composite's own stretch of a band the single band shares does not leak into it.
    layer.change({ bands: [4, 2, 1] })
    layer.change({ ranges: { 4: { min: 3, max: 4 } } })
    layer.show('single')
    expect(layer.display).toMatchObject({ bands: [4], colormap: 'terrain' })
    expect(layer.display.ranges[4]).toEqual({ min: 1, max: 2 })
    layer.show('rgb')
    expect(layer.display.bands).toEqual([4, 2, 1])
    expect(layer.display.ranges[4]).toEqual({ min: 3, max: 4 })
  })

  it('shows the red band as it is on the first switch to a single band', () => {
    const layer = opened()
    layer.change({ ranges: { 2: { min: 11, max: 12 } } })
    layer.show('single')
    expect(layer.display).toMatchObject({ bands: [2], colormap: 'grey' })
    expect(layer.display.ranges[2]).toEqual({ min: 11, max: 12 })
  })

  it('shows the band and the next two on the first switch to RGB of a layer that opened on one band', () => {
    const layer = new Layer({ bands: [1], ranges: Array.from({ length: BANDS }, () => ({ min: 0, max: 1 })), colormap: 'grey' })
    layer.show('rgb')
    expect(layer.display.bands).toEqual([1, 2, 3])
    expect(defaultComposite(6, 5)).toEqual([0, 1, 2])
    expect(defaultComposite(2, 1)).toEqual([0, 1, 1])
  })

  it('changes nothing when switched to the mode already shown', () => {
    const layer = opened()
    const before = layer.display
    const switched = switchMode(before, NOTHING_REMEMBERED, 'rgb', BANDS)
    expect(switched).toEqual({ change: {}, memory: NOTHING_REMEMBERED })
    expect(modeOf(before)).toBe('rgb')
  })

  it('ignores a remembered band the raster no longer has', () => {
    const display: LayerDisplay = { bands: [0, 1, 2], ranges: [{ min: 0, max: 1 }, { min: 0, max: 1 }, { min: 0, max: 1 }], colormap: 'grey' }
    const memory = remember(NOTHING_REMEMBERED, { bands: [5], ranges: Array.from({ length: 6 }, () => ({ min: 2, max: 3 })), colormap: 'viridis' })
    expect(switchMode(display, memory, 'single', 3).change).toEqual({ bands: [0] })
  })

  it('keeps copies, so that later changes of the display do not alter what it remembers', () => {
    const display: LayerDisplay = { bands: [0, 1, 2], ranges: [{ min: 0, max: 1 }, { min: 2, max: 3 }, { min: 4, max: 5 }], colormap: 'grey' }
    const memory = remember(NOTHING_REMEMBERED, display)
    display.ranges[0]!.min = 99
    expect(memory.rgb).toEqual({ bands: [0, 1, 2], ranges: [{ min: 0, max: 1 }, { min: 2, max: 3 }, { min: 4, max: 5 }] })
    expect(NOTHING_REMEMBERED).toEqual({ rgb: null, single: null })
  })
})
