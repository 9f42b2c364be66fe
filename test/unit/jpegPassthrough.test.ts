/**
 * Which levels send a TIFF's own JPEG tiles as stored (`jpegPassthroughLevels`, every condition),
 * how a tile's stream is joined to the file's tables (`joinJpegTables`), and the `tile-encodings`
 * call's checks.
 */
import { describe, expect, it } from 'vitest'
import { jpegPassthroughLevels, type PassthroughInput } from '../../src/main/raster/jpegPassthrough'
import { isWebpFile, joinJpegTables } from '../../src/main/raster/decode/jpegTile'
import type { TiffDirectory } from '../../src/main/raster/tiffLayout'
import { pyramidLevels } from '../../src/shared/tiles'
import { validateClientMessage } from '../../src/shared/validate'

const W = 1400
const H = 1000

function directory(index: number, width: number, height: number, changes: Partial<TiffDirectory> = {}): TiffDirectory {
  return {
    index,
    width,
    height,
    tiled: true,
    blockHeight: 256,
    tileWidth: 256,
    compression: 7,
    subfileType: index === 0 ? 0 : 1,
    planarSeparate: false,
    samplesPerPixel: 3,
    bitsPerSample: [8, 8, 8],
    photometric: 6,
    extraSamples: 0,
    ...changes
  }
}

/** A 1400 × 1000 JPEG TIFF with pages for levels 0–3, as libvips and GDAL write it; `change` alters it. */
function input(change: (i: PassthroughInput) => void = () => {}): PassthroughInput {
  const sizes = [[1400, 1000], [700, 500], [350, 250], [175, 125]] as const
  const value: PassthroughInput = {
    levels: pyramidLevels(W, H, 256),
    tileSize: 256,
    images: sizes.map(([w, h], page) => ({ selector: { page }, width: w, height: h, directory: directory(page, w, h) })),
    masks: [],
    output: { kind: 'rgba8' },
    decoder: 'vips',
    orientation: 1,
    autoOrient: false
  }
  change(value)
  return value
}

/** The levels that pass, by number. */
function passing(value: PassthroughInput): number[] {
  return jpegPassthroughLevels(value).flatMap((level, index) => (level ? [index] : []))
}

describe('jpegPassthroughLevels', () => {
  it('passes every level served by a JPEG page of exactly its size, tiled as Tessera, with its page and row length', () => {
    expect(jpegPassthroughLevels(input())).toEqual([
      { page: 0, tilesAcross: 6, encoding: 'jpeg' },
      { page: 1, tilesAcross: 3, encoding: 'jpeg' },
      { page: 2, tilesAcross: 2, encoding: 'jpeg' },
      { page: 3, tilesAcross: 1, encoding: 'jpeg' }
    ])
  })

  it('passes a WebP page of RGB without alpha, as webp; not one with alpha, not one of other colours', () => {
    const webp = (changes: Partial<TiffDirectory>): PassthroughInput =>
      input((i) => i.images.forEach((image) => Object.assign(image.directory!, { compression: 50001, photometric: 2, ...changes })))
    expect(jpegPassthroughLevels(webp({})).map((l) => l?.encoding)).toEqual(['webp', 'webp', 'webp', 'webp'])
    expect(passing(webp({ samplesPerPixel: 4, extraSamples: 1, bitsPerSample: [8, 8, 8, 8] }))).toEqual([])
    expect(passing(webp({ photometric: 6 }))).toEqual([])
    expect(passing(webp({ tileWidth: 512, blockHeight: 512 }))).toEqual([])
    expect(passing(webp({ compression: 50000 }))).toEqual([]) // ZSTD: decoded
  })

  it('passes RGB as well as YCbCr, nothing else', () => {
    const photometric = (p: number): PassthroughInput => input((i) => (i.images[1]!.directory!.photometric = p))
    expect(passing(photometric(2))).toEqual([0, 1, 2, 3])
    for (const p of [0, 1, 3, 5, 8]) expect(passing(photometric(p)), `photometric ${p}`).toEqual([0, 2, 3])
  })

  it('decodes a whole raster whose output is not RGBA8, whose decoder is not libvips, or that is oriented', () => {
    expect(passing(input((i) => (i.output = { kind: 'bands', sampleType: 'uint8', bands: 3, mask: false })))).toEqual([])
    expect(passing(input((i) => (i.decoder = 'geotiff')))).toEqual([])
    expect(passing(input((i) => (i.orientation = 6)))).toEqual([])
    expect(passing(input((i) => (i.autoOrient = true)))).toEqual([])
  })

  it('decodes a level whose page is not exactly its size (libvips rounds down, Tessera up)', () => {
    // 1401 × 1003: Tessera's level 1 is 701 × 502; libvips' page 1 is 700 × 501.
    const odd = input((i) => {
      i.levels = pyramidLevels(1401, 1003, 256)
      const sizes = [[1401, 1003], [700, 501], [350, 250], [175, 125]] as const
      i.images = sizes.map(([w, h], page) => ({ selector: { page }, width: w, height: h, directory: directory(page, w, h) }))
    })
    expect(passing(odd)).toEqual([0])
  })

  it('decodes a level served by reducing a finer page (a missing overview)', () => {
    expect(passing(input((i) => (i.images = i.images.filter((_, page) => page !== 1))))).toEqual([0, 2, 3])
    expect(passing(input((i) => (i.images = i.images.slice(0, 1))))).toEqual([0])
  })

  it('decodes every level of a raster without page directories (not a TIFF), or whose pages are sub-IFDs or in an .ovr', () => {
    expect(passing(input((i) => i.images.forEach((image) => delete image.directory)))).toEqual([])
    expect(passing(input((i) => (i.images[1]!.selector = { subifd: 0 })))).toEqual([0, 2, 3])
    expect(passing(input((i) => (i.images[2]!.selector = { page: 0, file: '/data/a.tif.ovr' })))).toEqual([0, 1, 3])
  })

  it('decodes a level that has a mask; a mask of another level or file leaves it alone', () => {
    expect(passing(input((i) => (i.masks = [{ selector: { page: 4 }, width: 700, height: 500 }])))).toEqual([0, 2, 3])
    expect(passing(input((i) => (i.masks = [{ selector: { page: 0, file: '/a.tif.ovr' }, width: 700, height: 500 }])))).toEqual([0, 1, 2, 3])
  })

  it('decodes a level whose page is not 256 × 256 tiles of 8-bit, contiguous, 3-sample, new-style JPEG', () => {
    const changed = (changes: Partial<TiffDirectory>): number[] =>
      passing(input((i) => Object.assign(i.images[2]!.directory!, changes)))
    const cases: [string, Partial<TiffDirectory>][] = [
      ['striped', { tiled: false, tileWidth: 0 }],
      ['512-wide tiles', { tileWidth: 512 }],
      ['512-high tiles', { blockHeight: 512 }],
      ['128 tiles', { tileWidth: 128, blockHeight: 128 }],
      ['LZW', { compression: 5 }],
      ['DEFLATE', { compression: 8 }],
      ['old-style JPEG', { compression: 6 }],
      ['WebP', { compression: 50001 }],
      ['separate planes', { planarSeparate: true }],
      ['4 samples', { samplesPerPixel: 4, bitsPerSample: [8, 8, 8, 8] }],
      ['an extra sample', { extraSamples: 1 }],
      ['1 sample', { samplesPerPixel: 1, bitsPerSample: [8], photometric: 1 }],
      ['12-bit', { bitsPerSample: [12, 12, 12] }],
      ['16-bit', { bitsPerSample: [16, 16, 16] }],
      ['no BitsPerSample', { bitsPerSample: [] }],
      ['a mask page', { subfileType: 4 }]
    ]
    for (const [what, changes] of cases) expect(changed(changes), what).toEqual([0, 1, 3])
  })

  it('follows the tile size Tessera uses', () => {
    expect(passing(input((i) => ((i.tileSize = 512), (i.levels = pyramidLevels(W, H, 512)))))).toEqual([])
  })
})

describe('joinJpegTables', () => {
  const tables = Uint8Array.of(0xff, 0xd8, 0xff, 0xdb, 0, 3, 9, 0xff, 0xd9)
  const tile = Uint8Array.of(0xff, 0xd8, 0xff, 0xc0, 1, 2, 0xff, 0xd9)

  it('is the tables without their EOI followed by the tile without its SOI', () => {
    expect([...joinJpegTables(tables, tile)!]).toEqual([0xff, 0xd8, 0xff, 0xdb, 0, 3, 9, 0xff, 0xc0, 1, 2, 0xff, 0xd9])
  })

  it('is the tile itself without tables', () => {
    expect(joinJpegTables(null, tile)).toBe(tile)
    expect(joinJpegTables(new Uint8Array(0), tile)).toBe(tile)
  })

  it('refuses a tile that does not start with SOI, or tables that are not a stream', () => {
    expect(joinJpegTables(tables, Uint8Array.of(0, 0, 0xff, 0xd9))).toBeNull()
    expect(joinJpegTables(tables, new Uint8Array(0))).toBeNull()
    expect(joinJpegTables(Uint8Array.of(0xff, 0xd8, 1, 2), tile)).toBeNull()
    expect(joinJpegTables(Uint8Array.of(1, 2, 0xff, 0xd9), tile)).toBeNull()
  })
})

describe('isWebpFile', () => {
  it('knows a RIFF WebP file, and nothing else', () => {
    const ascii = (text: string): number[] => [...text].map((c) => c.charCodeAt(0))
    expect(isWebpFile(Uint8Array.from([...ascii('RIFF'), 4, 0, 0, 0, ...ascii('WEBP'), ...ascii('VP8 ')]))).toBe(true)
    expect(isWebpFile(Uint8Array.from([...ascii('RIFF'), 4, 0, 0, 0, ...ascii('WAVE')]))).toBe(false)
    expect(isWebpFile(Uint8Array.from(ascii('RIFF')))).toBe(false)
    expect(isWebpFile(Uint8Array.of(0xff, 0xd8, 0xff, 0xe0, 0, 0, 0, 0, 0, 0, 0, 0))).toBe(false)
  })
})

describe('tile-encodings', () => {
  it('accepts known encodings (repeats too) and [], and nothing else', () => {
    expect(validateClientMessage({ type: 'tile-encodings', id: 1, accept: ['jpeg'] })).toEqual({ type: 'tile-encodings', id: 1, accept: ['jpeg'] })
    expect(validateClientMessage({ type: 'tile-encodings', id: 1, accept: [] })).toEqual({ type: 'tile-encodings', id: 1, accept: [] })
    expect(validateClientMessage({ type: 'tile-encodings', id: 1, accept: ['jpeg', 'jpeg'] })).toMatchObject({ accept: ['jpeg', 'jpeg'] })
    expect(validateClientMessage({ type: 'tile-encodings', id: 1, accept: ['jpeg', 'webp'] })).toMatchObject({ accept: ['jpeg', 'webp'] })
    expect(validateClientMessage({ type: 'tile-encodings', id: 1, accept: ['jpeg', 'webp', 'png'] })).toMatchObject({ accept: ['jpeg', 'webp', 'png'] })
    expect(() => validateClientMessage({ type: 'tile-encodings', id: 1, accept: ['gif'] })).toThrow(/accept\[0\]/)
    expect(() => validateClientMessage({ type: 'tile-encodings', id: 1, accept: 'jpeg' })).toThrow(/for accept/)
    expect(() => validateClientMessage({ type: 'tile-encodings', id: 1 })).toThrow(/for accept/)
    expect(() => validateClientMessage({ type: 'tile-encodings', id: 1, accept: Array(9).fill('jpeg') })).toThrow(/at most 8 tile encodings/)
  })
})
