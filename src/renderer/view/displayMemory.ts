/**
 * What a value layer remembers of each way of showing it (pure): its last RGB composite (the three
 * bands and the range of each) and its last single band (the band, its range, its colour map).
 * Switching from one to the other keeps what the person made of the one left and brings back what
 * they made of the other, instead of starting it again from bands 1-2-3.
 */
import type { BandRange, DisplayBands, LayerDisplay, LayerDisplayChange } from './bandPixels'
import type { ColormapName } from './colormaps'

/** A layer shows three bands as R, G, B, or one band through a colour map. */
export type DisplayMode = 'rgb' | 'single'

/** The last RGB composite: its bands and the stretch range of each, in R, G, B order. */
export interface RememberedComposite {
  bands: [number, number, number]
  ranges: [BandRange, BandRange, BandRange]
}

/** The last single band: the band, its stretch range and its colour map. */
export interface RememberedSingle {
  band: number
  range: BandRange
  colormap: ColormapName
}

export interface DisplayMemory {
  rgb: RememberedComposite | null
  single: RememberedSingle | null
}

/** A layer that has not switched yet remembers nothing. */
export const NOTHING_REMEMBERED: DisplayMemory = Object.freeze({ rgb: null, single: null })

/** The mode a display is in. */
export function modeOf(display: Pick<LayerDisplay, 'bands'>): DisplayMode {
  return display.bands.length === 3 ? 'rgb' : 'single'
}

/** The memory with `display` kept as the last of its mode (the other mode's memory untouched). */
export function remember(memory: DisplayMemory, display: LayerDisplay): DisplayMemory {
  const range = (band: number): BandRange => ({ ...(display.ranges[band] ?? { min: 0, max: 1 }) })
  if (display.bands.length === 3) {
    const [r, g, b] = display.bands
    return { ...memory, rgb: { bands: [r, g, b], ranges: [range(r), range(g), range(b)] } }
  }
  const band = display.bands[0]
  return { ...memory, single: { band, range: range(band), colormap: display.colormap } }
}

/**
 * The change that shows a layer of `bandCount` bands in `mode`, and the memory after it. The
 * display left is remembered; the mode switched to comes back as it was last (its bands, ranges and
 * colour map). The first switch to a single band shows the composite's red band as it is; the first
 * switch to RGB shows that band and the next two (`defaultComposite`) at their current ranges. A
 * switch to the mode already shown changes nothing.
 */
export function switchMode(display: LayerDisplay, memory: DisplayMemory, mode: DisplayMode, bandCount: number): { change: LayerDisplayChange; memory: DisplayMemory } {
  if (modeOf(display) === mode) return { change: {}, memory }
  const next = remember(memory, display)
  const valid = (band: number): boolean => Number.isInteger(band) && band >= 0 && band < bandCount
  if (mode === 'single') {
    const last = next.single && valid(next.single.band) ? next.single : null
    if (!last) return { change: { bands: [display.bands[0]] }, memory: next }
    return { change: { bands: [last.band], ranges: { [last.band]: last.range }, colormap: last.colormap }, memory: next }
  }
  const last = next.rgb && next.rgb.bands.every(valid) ? next.rgb : null
  if (!last) return { change: { bands: defaultComposite(bandCount, display.bands[0]) }, memory: next }
  const ranges: Record<number, BandRange> = {}
  last.bands.forEach((band, i) => (ranges[band] = last.ranges[i]!))
  return { change: { bands: [...last.bands] as DisplayBands, ranges }, memory: next }
}

/** Three bands for RGB from a single one: it and the next two when the file has them, else 1-2-3, else the bands there are. */
export function defaultComposite(bandCount: number, from: number): [number, number, number] {
  if (bandCount >= 3) return from + 2 < bandCount ? [from, from + 1, from + 2] : [0, 1, 2]
  return [0, Math.min(1, bandCount - 1), Math.min(1, bandCount - 1)]
}
