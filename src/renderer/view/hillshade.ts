/**
 * Hillshade as `gdaldem hillshade` computes it (GDAL 3.6, `apps/gdaldem_lib.cpp`), with no GPU and
 * no DOM: the style a person picks, the constants the shader takes, the shade of one 3 × 3 window
 * (the shader's twin, which the tests hold against gdaldem), and the assembly of a tile's texture
 * with a one-texel border taken from its neighbours.
 *
 * - Slope and aspect by Horn's 3 × 3 gradient; the light from `azimuth` (degrees clockwise from
 *   north) at `altitude` (degrees above the horizon); `zFactor` multiplies heights; the shade is
 *   1 + 254 · cos(angle to the light), 1 where the light does not reach: 1–255, 0 being no data.
 * - Multidirectional: four lights at 225°, 270°, 315° and 360° weighted by the aspect
 *   (USGS OF 92-422), as `-multidirectional` does: 1 + 127 · Σ wᵢ · shadeᵢ.
 * - A geographic grid (degrees) has its horizontal units scaled as `-s 111120` does.
 * - Edges: what lies beyond the raster is extrapolated linearly (2a − b), as gdaldem's
 *   `-compute_edges` does (it does not replicate); a neighbour tile not loaded yet is extrapolated
 *   the same way until it comes. A no-data pixel has no shade (transparent); a no-data neighbour
 *   counts as the centre's height, as with `-compute_edges` (without it gdaldem leaves every
 *   neighbour of no data without shade too, which grows every hole by a pixel).
 */

/** A tile's samples as received (`bandPixels.ts` TileSamples; not imported, which would close a cycle through `LayerDisplay`). */
export interface TileSamples {
  width: number
  height: number
  channels: number
  values: ArrayLike<number>
}

/** What tells no data in a tile's samples (`bandPixels.ts` Validity). */
export interface Validity {
  mask: boolean
  noData: number | null
}

const isNoDataSample = (v: number, noData: number | null): boolean => Number.isNaN(v) || (noData !== null && v === noData)

/** How a value layer is shaded. */
export interface HillshadeStyle {
  /** Direction of the light, degrees clockwise from north (gdaldem `-az`, 315 by default). */
  azimuth: number
  /** Height of the light above the horizon, degrees (gdaldem `-alt`, 45 by default). */
  altitude: number
  /** Vertical exaggeration (gdaldem `-z`, 1 by default). */
  zFactor: number
  /** Four lights weighted by aspect (gdaldem `-multidirectional`); the azimuth is then unused. */
  multidirectional: boolean
  /** Shade × the layer's colour map (stretched as set); grey shade alone otherwise. */
  withColour: boolean
}

export const DEFAULT_HILLSHADE: Readonly<HillshadeStyle> = Object.freeze({ azimuth: 315, altitude: 45, zFactor: 1, multidirectional: false, withColour: false })

/** Metres per degree: what gdaldem's documentation says to pass as `-s` for a grid in degrees. */
export const DEGREE_SCALE = 111120

/** The ground size of one pixel of a level, as gdaldem reads it from the geotransform. */
export interface PixelSize {
  /** East–west resolution (the geotransform's gt[1] × the level's scale). */
  ew: number
  /** North–south resolution, negative for a north-up raster (gt[5] × the level's scale). */
  ns: number
}

/**
 * The pixel size of a level: the geotransform's gt[1] and gt[5] times how many level-0 pixels a
 * level pixel spans; without georeferencing 1 and −1 (a picture is north-up on screen: gdaldem's
 * default +1 would light it from the south-west).
 */
export function levelPixelSize(geoTransform: readonly number[] | null, levelScale: { x: number; y: number }): PixelSize {
  const ew = geoTransform ? geoTransform[1]! : 1
  const ns = geoTransform ? geoTransform[5]! : -1
  return { ew: (ew === 0 ? 1 : ew) * levelScale.x, ns: (ns === 0 ? -1 : ns) * levelScale.y }
}

/** The constants of the shade for a style and a pixel size (the shader's uniforms). */
export interface HillshadeConstants {
  /** 1 / (ew · scale), 1 / (ns · scale). */
  invEw: number
  invNs: number
  /** z / 8 (Horn's kernel sums eight differences). */
  zOver8: number
  sinAlt: number
  cosAlt: number
  sinAz: number
  cosAz: number
  multidirectional: boolean
}

/** The constants of `style` over pixels of `pixel` size; `geographic`: the pixel size is in degrees (scaled by 111120). */
export function hillshadeConstants(style: HillshadeStyle, pixel: PixelSize, geographic: boolean): HillshadeConstants {
  const scale = geographic ? DEGREE_SCALE : 1
  const rad = Math.PI / 180
  return {
    invEw: 1 / (pixel.ew * scale),
    invNs: 1 / (pixel.ns * scale),
    zOver8: style.zFactor / 8,
    sinAlt: Math.sin(style.altitude * rad),
    cosAlt: Math.cos(style.altitude * rad),
    sinAz: Math.sin(style.azimuth * rad),
    cosAz: Math.cos(style.azimuth * rad),
    multidirectional: style.multidirectional
  }
}

/**
 * The shade (1–255, unrounded) of the centre of a 3 × 3 window (row by row, NaN = no data); NaN
 * when the centre is no data. No-data neighbours take the centre's height (gdaldem -compute_edges).
 * The GLSL of `HillshadeShader.ts` is this function, line for line.
 */
export function shadeOfWindow(window: ArrayLike<number>, k: HillshadeConstants): number {
  const c = window[4]!
  if (Number.isNaN(c)) return Number.NaN
  const z = (i: number): number => {
    const v = window[i]!
    return Number.isNaN(v) ? c : v
  }
  const x = (z(0) + 2 * z(3) + z(6) - (z(2) + 2 * z(5) + z(8))) * k.invEw
  const y = (z(6) + 2 * z(7) + z(8) - (z(0) + 2 * z(1) + z(2))) * k.invNs
  const xx = x * x
  const yy = y * y
  const norm = Math.sqrt(1 + k.zOver8 * k.zOver8 * (xx + yy))
  if (!k.multidirectional) {
    const cang = (k.sinAlt - (y * k.cosAz * k.cosAlt * k.zOver8 - x * k.sinAz * k.cosAlt * k.zOver8)) / norm
    return cang <= 0 ? 1 : 1 + 254 * cang
  }
  if (xx + yy === 0) return 1 + 254 * k.sinAlt
  const zc = k.cosAlt * k.zOver8
  const cos225 = Math.cos((225 * Math.PI) / 180)
  const v225 = Math.max(0, k.sinAlt + (x - y) * cos225 * zc)
  const v270 = Math.max(0, k.sinAlt - x * zc)
  const v315 = Math.max(0, k.sinAlt + (x + y) * cos225 * zc)
  const v360 = Math.max(0, k.sinAlt - y * zc)
  const w225 = 0.5 * (xx + yy) - x * y
  const w315 = xx + yy - w225
  return 1 + (127 * (w225 * v225 + xx * v270 + w315 * v315 + yy * v360)) / (xx + yy) / norm
}

/**
 * The shade of every pixel of a grid (row-major, NaN = no data) as gdaldem computes it with
 * `-compute_edges`, unrounded (NaN where no data): the reference the tests hold the shader's twin
 * and gdaldem against, and what a tile's texture with its border gives.
 */
export function shadeGrid(values: ArrayLike<number>, width: number, height: number, k: HillshadeConstants): Float64Array {
  const bordered = withBorder(values, width, height, () => null)
  const out = new Float64Array(width * height)
  const stride = width + 2
  const window = new Float64Array(9)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let j = 0; j < 3; j++) for (let i = 0; i < 3; i++) window[j * 3 + i] = bordered[(y + j) * stride + x + i]!
      out[y * width + x] = shadeOfWindow(window, k)
    }
  }
  return out
}

/** One neighbouring tile's values and size (row-major floats, NaN = no data); null when not loaded or beyond the raster. */
export interface NeighbourValues {
  width: number
  height: number
  /** The value at (x, y) of the neighbour, NaN for no data. */
  at(x: number, y: number): number
}

/**
 * The values of a tile of `width` × `height` with a one-texel border ((width + 2) × (height + 2),
 * row-major, NaN = no data): the border from the neighbours `neighbour(dx, dy)` (dx, dy in −1…1)
 * gives, extrapolated linearly (2a − b, from the tile's own edge or the neighbours' border
 * already taken) where a neighbour is null, as gdaldem -compute_edges does at the raster's edges.
 */
export function withBorder(values: ArrayLike<number>, width: number, height: number, neighbour: (dx: number, dy: number) => NeighbourValues | null): Float32Array {
  const stride = width + 2
  const out = new Float32Array(stride * (height + 2))
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) out[(y + 1) * stride + x + 1] = values[y * width + x]!
  const at = (x: number, y: number): number => out[(y + 1) * stride + x + 1]!
  const set = (x: number, y: number, v: number): void => {
    out[(y + 1) * stride + x + 1] = v
  }
  const missing: Array<[number, number]> = []
  // Each border texel from the neighbour that holds it, or left for extrapolation.
  for (let by = -1; by <= height; by++) {
    for (let bx = -1; bx <= width; bx++) {
      if (by >= 0 && by < height && bx >= 0 && bx < width) continue
      const dx = bx < 0 ? -1 : bx >= width ? 1 : 0
      const dy = by < 0 ? -1 : by >= height ? 1 : 0
      const n = neighbour(dx, dy)
      if (!n) {
        missing.push([bx, by])
        continue
      }
      const nx = dx < 0 ? n.width - 1 : dx > 0 ? 0 : bx
      const ny = dy < 0 ? n.height - 1 : dy > 0 ? 0 : by
      set(bx, by, nx < n.width && ny < n.height ? n.at(nx, ny) : Number.NaN)
    }
  }
  // Sides first (from the tile's own edge), then corners (along the border row filled before them).
  const corner = ([bx, by]: [number, number]): boolean => (bx < 0 || bx >= width) && (by < 0 || by >= height)
  const extrapolate = ([bx, by]: [number, number]): void => {
    if (by < 0 || by >= height) {
      if (bx >= 0 && bx < width) {
        const a = by < 0 ? 0 : height - 1
        const b = by < 0 ? Math.min(1, height - 1) : Math.max(0, height - 2)
        set(bx, by, 2 * at(bx, a) - at(bx, b))
        return
      }
      // A corner: along the border row.
      const a = bx < 0 ? 0 : width - 1
      const b = bx < 0 ? Math.min(1, width - 1) : Math.max(0, width - 2)
      set(bx, by, 2 * at(a, by) - at(b, by))
      return
    }
    const a = bx < 0 ? 0 : width - 1
    const b = bx < 0 ? Math.min(1, width - 1) : Math.max(0, width - 2)
    set(bx, by, 2 * at(a, by) - at(b, by))
  }
  for (const texel of missing) if (!corner(texel)) extrapolate(texel)
  for (const texel of missing) if (corner(texel)) extrapolate(texel)
  return out
}

/** A neighbour's displayed band read from its received samples (NaN where masked or no data). */
export function neighbourOfSamples(tile: TileSamples, band: number, validity: Validity): NeighbourValues {
  const { width, height, channels, values } = tile
  const maskAt = channels - 1
  return {
    width,
    height,
    at(x, y) {
      const i = (y * width + x) * channels
      const v = values[i + band]!
      return (validity.mask && values[i + maskAt] === 0) || isNoDataSample(v, validity.noData) ? Number.NaN : v
    }
  }
}

/** The eight neighbours of tile (col, row), in the order `neighbour(dx, dy)` walks them (dy, then dx, −1…1, the centre left out). */
export const NEIGHBOUR_OFFSETS: ReadonlyArray<readonly [number, number]> = [
  [-1, -1], [0, -1], [1, -1],
  [-1, 0], [1, 0],
  [-1, 1], [0, 1], [1, 1]
]

/** A style with every field valid: out-of-range or non-finite values are replaced by the defaults' (altitude kept within 0–90). */
export function validHillshade(style: Partial<HillshadeStyle>): HillshadeStyle {
  const finite = (v: number | undefined, fallback: number): number => (typeof v === 'number' && Number.isFinite(v) ? v : fallback)
  const azimuth = ((finite(style.azimuth, DEFAULT_HILLSHADE.azimuth) % 360) + 360) % 360
  return {
    azimuth,
    altitude: Math.min(90, Math.max(0, finite(style.altitude, DEFAULT_HILLSHADE.altitude))),
    zFactor: finite(style.zFactor, DEFAULT_HILLSHADE.zFactor),
    multidirectional: style.multidirectional ?? DEFAULT_HILLSHADE.multidirectional,
    withColour: style.withColour ?? DEFAULT_HILLSHADE.withColour
  }
}

/**
 * The displayed band of a tile as a bordered float texture's values ((width + 2) × (height + 2),
 * NaN = no data): its border from `neighbours` (the received samples of the eight tiles around it,
 * in `NEIGHBOUR_OFFSETS` order, null where not loaded or beyond the raster), extrapolated where null.
 */
export function borderedBandFloats(
  tile: TileSamples,
  band: number,
  validity: Validity,
  neighbours: ReadonlyArray<TileSamples | null>
): Float32Array {
  const own = neighbourOfSamples(tile, band, validity)
  const centre = new Float32Array(tile.width * tile.height)
  for (let y = 0; y < tile.height; y++) for (let x = 0; x < tile.width; x++) centre[y * tile.width + x] = own.at(x, y)
  return withBorder(centre, tile.width, tile.height, (dx, dy) => {
    const n = neighbours[neighbourIndex(dx, dy)]
    return n ? neighbourOfSamples(n, band, validity) : null
  })
}

/** The place of neighbour (dx, dy) in `NEIGHBOUR_OFFSETS`. */
export function neighbourIndex(dx: number, dy: number): number {
  const i = (dy + 1) * 3 + (dx + 1)
  return i > 4 ? i - 1 : i
}
