/**
 * Colour maps for single-band rasters, as 256-entry RGBA8 lookup tables (uploaded once as a
 * 256×1 texture that the stretch shader samples). Pure data, no Pixi.
 */

/** Names of the colour maps offered to people. */
export const COLORMAPS = ['grey', 'viridis', 'terrain'] as const
export type ColormapName = (typeof COLORMAPS)[number]

/** Control points (position 0..1, hex colour), interpolated linearly. */
const STOPS: Record<ColormapName, ReadonlyArray<readonly [number, string]>> = {
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
  ]
}

/** True when `name` is a known colour map. */
export function isColormap(name: unknown): name is ColormapName {
  return typeof name === 'string' && (COLORMAPS as readonly string[]).includes(name)
}

/** The 256×1 RGBA8 lookup table of a colour map (index 0 = low end of the stretch). */
export function colormapTable(name: ColormapName): Uint8Array {
  const stops = STOPS[name].map(([at, hex]) => [at, parseHex(hex)] as const)
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
  return table
}

function parseHex(hex: string): [number, number, number] {
  const n = Number.parseInt(hex.slice(1), 16)
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255]
}
