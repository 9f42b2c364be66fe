/**
 * Colour maps for single-band rasters, as 256-entry RGBA8 lookup tables (uploaded once as a
 * 256×1 texture that the stretch shader samples). Pure data, no Pixi. Every map can be inverted:
 * its name with matplotlib's suffix `_r` ("blues_r") is the same ramp read from its high end.
 */

/** Names of the colour maps offered to people (each also inverted, `<name>_r`). */
export const COLORMAPS = ['grey', 'viridis', 'terrain', 'blues', 'diverging'] as const
export type BaseColormapName = (typeof COLORMAPS)[number]
export type ColormapName = BaseColormapName | `${BaseColormapName}_r`

/** Colour maps meant for values on both sides of a centre (differences): their range is centred on 0. */
export const DIVERGING_COLORMAPS: ReadonlySet<BaseColormapName> = new Set(['diverging'])

/** The ramp a colour map reads and whether it reads it inverted ("blues_r": blues, inverted). */
export function colormapParts(name: ColormapName): { base: BaseColormapName; inverted: boolean } {
  return name.endsWith('_r') ? { base: name.slice(0, -2) as BaseColormapName, inverted: true } : { base: name as BaseColormapName, inverted: false }
}

/** The name of `base`, inverted or not. */
export function colormapName(base: BaseColormapName, inverted: boolean): ColormapName {
  return inverted ? `${base}_r` : base
}

/** Control points (position 0..1, hex colour), interpolated linearly. */
const STOPS: Record<BaseColormapName, ReadonlyArray<readonly [number, string]>> = {
  grey: [
    [0, '#000000'],
    [1, '#ffffff']
  ],
  // matplotlib's viridis sampled at nine even positions.
  viridis: [
    [0, '#440154'],
    [0.125, '#472c7a'],
    [0.25, '#3b518b'],
    [0.375, '#2c718e'],
    [0.5, '#21908d'],
    [0.625, '#27ad81'],
    [0.75, '#5cc863'],
    [0.875, '#aadc32'],
    [1, '#fde725']
  ],
  // matplotlib's terrain: water blue, lowland green, upland tan, brown, snow.
  terrain: [
    [0, '#333399'],
    [0.15, '#0099ff'],
    [0.25, '#00cc66'],
    [0.5, '#ffff99'],
    [0.75, '#805c54'],
    [1, '#ffffff']
  ],
  // ColorBrewer's sequential Blues (9 classes), for water depth: shallow pale, deep dark.
  blues: [
    [0, '#f7fbff'],
    [0.125, '#deebf7'],
    [0.25, '#c6dbef'],
    [0.375, '#9ecae1'],
    [0.5, '#6baed6'],
    [0.625, '#4292c6'],
    [0.75, '#2171b5'],
    [0.875, '#08519c'],
    [1, '#08306b']
  ],
  // ColorBrewer's diverging RdBu (11 classes) read from blue to red: negative blue, zero white-ish, positive red.
  diverging: [
    [0, '#053061'],
    [0.1, '#2166ac'],
    [0.2, '#4393c3'],
    [0.3, '#92c5de'],
    [0.4, '#d1e5f0'],
    [0.5, '#f7f7f7'],
    [0.6, '#fddbc7'],
    [0.7, '#f4a582'],
    [0.8, '#d6604d'],
    [0.9, '#b2182b'],
    [1, '#67001f']
  ]
}

/** True when `name` is a known colour map. */
export function isColormap(name: unknown): name is ColormapName {
  return typeof name === 'string' && (COLORMAPS as readonly string[]).includes(name.endsWith('_r') ? name.slice(0, -2) : name)
}

/** The 256×1 RGBA8 lookup table of a colour map (index 0 = low end of the stretch; an inverted map's high end). */
export function colormapTable(name: ColormapName): Uint8Array {
  const { base, inverted } = colormapParts(name)
  const stops = STOPS[base].map(([at, hex]) => [at, parseHex(hex)] as const)
  const table = new Uint8Array(256 * 4)
  for (let i = 0; i < 256; i++) {
    const t = i / 255
    let k = 0
    while (k < stops.length - 2 && t > stops[k + 1]![0]) k++
    const [t0, c0] = stops[k]!
    const [t1, c1] = stops[k + 1]!
    const f = t1 > t0 ? Math.min(1, Math.max(0, (t - t0) / (t1 - t0))) : 0
    for (let c = 0; c < 3; c++) table[i * 4 + c] = Math.round(c0[c]! + (c1[c]! - c0[c]!) * f)
    table[i * 4 + 3] = 255
  }
  return inverted ? reversed(table) : table
}

/** The table's entries in the opposite order. */
function reversed(table: Uint8Array): Uint8Array {
  const out = new Uint8Array(table.length)
  for (let i = 0; i < 256; i++) out.set(table.subarray(i * 4, i * 4 + 4), (255 - i) * 4)
  return out
}

function parseHex(hex: string): [number, number, number] {
  const n = Number.parseInt(hex.slice(1), 16)
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255]
}
