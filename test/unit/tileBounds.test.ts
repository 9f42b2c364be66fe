import { describe, expect, it } from 'vitest'
import { tileMapBounds } from '../../src/shared/geo/tileBounds'
import type { Georeference } from '../../src/shared/raster'
import { pyramidLevels } from '../../src/shared/tiles'

const levels = pyramidLevels(1000, 600, 256)
const northUp: Georeference = { geoTransform: [500000, 2, 0, 6000000, 0, -2], rasterType: 'area', epsg: 32631, rotated: false }

describe('tileMapBounds', () => {
  it('gives nothing for a raster without georeferencing', () => {
    expect(tileMapBounds(null, levels, 256, 0, 0, 0)).toBeUndefined()
  })

  it('places a level-0 tile of a north-up raster by its pixel corners', () => {
    // Tile (1, 0): columns 256…511, rows 0…255.
    expect(tileMapBounds(northUp, levels, 256, 0, 1, 0)).toEqual([500512, 501024, 5999488, 6000000])
  })

  it('places an edge tile of a reduced level on the full-resolution pixels it covers', () => {
    // Level 1 is 500×300: tile (1, 1) is its columns 256…499 and rows 256…299, full-resolution 512…999 and 512…599.
    expect(tileMapBounds(northUp, levels, 256, 1, 1, 1)).toEqual([501024, 502000, 5998800, 5998976])
  })

  it('boxes a tile of a rotated raster around its turned corners', () => {
    const turned: Georeference = { geoTransform: [0, 1, 1, 0, 1, -1], rasterType: 'area', epsg: null, rotated: true }
    // Corners of tile (0, 0), pixels 0…256: (0,0)→(0,0), (256,0)→(256,256), (0,256)→(256,-256), (256,256)→(512,0).
    expect(tileMapBounds(turned, levels, 256, 0, 0, 0)).toEqual([0, 512, -256, 256])
  })
})
