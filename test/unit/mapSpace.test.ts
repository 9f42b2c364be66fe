/**
 * Issue 13: one world frame (world = map X, −map Y), each layer placed by its geotransform as a Pixi
 * container matrix, planning in each layer's own pixels, placement of mixed layers, latitude and
 * longitude through proj4js (checked against GDAL's gdaltransform), the scale bar.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import type { Container } from 'pixi.js'
import {
  IDENTITY,
  apply,
  compose,
  geoTransformToWorld,
  invert,
  mapToWorld,
  pixelToWorld,
  transformedBounds,
  unitsPerPixel,
  worldToMap,
  type Affine,
  type Point
} from '../../src/shared/geo/affine'
import type { GeoTransform, Georeference } from '../../src/shared/raster'
import { pyramidLevels } from '../../src/shared/tiles'
import { layerDisplacement, layerView, worldToScreen } from '../../src/renderer/view/layerView'
import { coordKey, planTiles, polygonMeetsRect, visibleTiles, type PyramidGeometry, type ViewState } from '../../src/renderer/view/TileScheduler'
import { PIXEL_VIEW, crsChoices, placeLayer, viewCrsOf, type ViewCrs } from '../../src/renderer/view/map/placement'
import { MAX_MESH_CELLS, reprojectedMapping, tileMesh } from '../../src/renderer/view/map/mapping'
import { crsDefinition, loadCrsDefinitions, metresPerUnit, needsCrsLookup, toLatLon } from '../../src/renderer/view/map/crs'
import { scaleBar } from '../../src/renderer/view/map/scaleBar'
import { layersExtent } from '../../src/renderer/view/map/extent'


const geo = (geoTransform: GeoTransform, epsg: number | null = 32631, rasterType: 'area' | 'point' = 'area'): Georeference => ({
  geoTransform,
  rasterType,
  epsg,
  rotated: geoTransform[2] !== 0 || geoTransform[4] !== 0
})

/** A 1 m DEM of 6000 × 4000 whose top-left corner is (512000, 5594000). */
const DEM: GeoTransform = [512000, 1, 0, 5594000, 0, -1]
/** A 5 m hillshade of its eastern part, top-left corner (515000, 5592500): DEM pixel (3000, 1500). */
const HILLSHADE: GeoTransform = [515000, 5, 0, 5592500, 0, -5]
/** The hillshade's grid turned by 30° about its origin. */
const ROTATED: GeoTransform = [515000, 5 * Math.cos(Math.PI / 6), 5 * Math.sin(Math.PI / 6), 5592500, 5 * Math.sin(Math.PI / 6), -5 * Math.cos(Math.PI / 6)]

function close(a: Point, b: Point, digits = 6): void {
  expect(a.x).toBeCloseTo(b.x, digits)
  expect(a.y).toBeCloseTo(b.y, digits)
}

describe('pixelToWorld', () => {
  it('maps a north-up pixel corner to (map X, −map Y)', () => {
    const m = pixelToWorld(geo(DEM))
    close(apply(m, { x: 0, y: 0 }), { x: 512000, y: -5594000 })
    close(apply(m, { x: 3000, y: 1500 }), mapToWorld({ x: 515000, y: 5592500 }))
    close(worldToMap(apply(m, { x: 10.5, y: 20.5 })), { x: 512010.5, y: 5593979.5 })
  })

  it('is the identity without georeferencing (one world unit per pixel from the origin)', () => {
    expect(pixelToWorld(null)).toEqual(IDENTITY)
  })

  it('has an inverse that takes every world point back to its pixel', () => {
    for (const gt of [DEM, HILLSHADE, ROTATED, [100, 0.5, 0.1, 200, -0.2, 0.5] as GeoTransform]) {
      const m = pixelToWorld(geo(gt))
      const inverse = invert(m)
      for (const p of [{ x: 0, y: 0 }, { x: 123.25, y: 456.5 }, { x: -7, y: 9999 }]) close(apply(inverse, apply(m, p)), p, 6)
      const both = compose(inverse, m)
      expect(both.a).toBeCloseTo(1, 12)
      expect(both.d).toBeCloseTo(1, 12)
      expect(both.b).toBeCloseTo(0, 12)
      expect(both.c).toBeCloseTo(0, 12)
    }
  })

  it('refuses a transform whose pixels have no area, naming it', () => {
    expect(() => invert(geoTransformToWorld([0, 1, 0, 0, 0, 0]))).toThrow(/invertible.*determinant 0/)
  })

  it('follows a rotated geotransform: columns and rows turn by its angle on the ground', () => {
    const m = pixelToWorld(geo(ROTATED))
    const origin = worldToMap(apply(m, { x: 0, y: 0 }))
    const alongRow = worldToMap(apply(m, { x: 1, y: 0 }))
    const downColumn = worldToMap(apply(m, { x: 0, y: 1 }))
    // Map: one column east-north-east (30° above east), one row 30° east of south, 5 m each.
    expect(Math.atan2(alongRow.y - origin.y, alongRow.x - origin.x)).toBeCloseTo(Math.PI / 6, 9)
    expect(Math.hypot(alongRow.x - origin.x, alongRow.y - origin.y)).toBeCloseTo(5, 9)
    expect(Math.atan2(downColumn.y - origin.y, downColumn.x - origin.x)).toBeCloseTo(-Math.PI / 3, 9)
    expect(unitsPerPixel(m)).toBeCloseTo(5, 12)
  })

  it('draws a south-up raster (positive row term) flipped: its first row is the southernmost', () => {
    const m = pixelToWorld(geo([0, 1, 0, 100, 0, 1]))
    expect(worldToMap(apply(m, { x: 0, y: 0 })).y).toBe(100)
    expect(worldToMap(apply(m, { x: 0, y: 10 })).y).toBe(110)
    expect(m.d).toBe(-1) // world Y grows south: a south-up raster's rows go up the screen
  })

  it('takes a PixelIsPoint geotransform as given: the host already shifted it by half a pixel, as gdalinfo does', () => {
    const gt: GeoTransform = [499999, 2, 0, 6000001, 0, -2]
    expect(pixelToWorld(geo(gt, 32631, 'point'))).toEqual(pixelToWorld(geo(gt, 32631, 'area')))
  })

  it('gives transformed bounds that hold every corner of a rotated raster', () => {
    const m = pixelToWorld(geo(ROTATED))
    const b = transformedBounds(m, 100, 50)
    for (const p of [{ x: 0, y: 0 }, { x: 100, y: 0 }, { x: 100, y: 50 }, { x: 0, y: 50 }]) {
      const w = apply(m, p)
      expect(w.x).toBeGreaterThanOrEqual(b.x - 1e-9)
      expect(w.x).toBeLessThanOrEqual(b.x + b.width + 1e-9)
      expect(w.y).toBeGreaterThanOrEqual(b.y - 1e-9)
      expect(w.y).toBeLessThanOrEqual(b.y + b.height + 1e-9)
    }
  })
})

/** Pixi, loaded once in Node (it reads `navigator` when loaded; nothing here renders). */
let pixi: typeof import('pixi.js')
beforeAll(async () => {
  const g = globalThis as { navigator?: unknown }
  g.navigator ??= { userAgent: 'node' }
  pixi = await import('pixi.js')
})

/** A camera (as pixi-viewport places its container) with a layer container placed by `transform`. */
function sceneLayer(view: ViewState, transform: Affine): Container {
  const { Container, Matrix } = pixi
  const camera = new Container()
  camera.scale.set(view.zoom)
  camera.position.set(view.width / 2 - view.centerX * view.zoom, view.height / 2 - view.centerY * view.zoom)
  const layer = new Container()
  layer.setFromMatrix(new Matrix(transform.a, transform.b, transform.c, transform.d, transform.tx, transform.ty))
  camera.addChild(layer)
  return layer
}

describe('one world frame', () => {
  const dem = pixelToWorld(geo(DEM))
  const groundPoints: Point[] = [
    { x: 515000, y: 5592500 }, // the hillshade's corner
    { x: 515012.3, y: 5592487.6 },
    { x: 516543.21, y: 5591234.56 },
    { x: 517999.9, y: 5590000.1 }
  ]

  for (const [name, gt] of [['north-up 5 m', HILLSHADE], ['rotated 30°, 5 m', ROTATED]] as const) {
    it(`draws the same ground point at the same screen pixel in a 1 m layer and a ${name} layer, at every zoom (Pixi's own matrices)`, () => {
      const other = pixelToWorld(geo(gt))
      for (const zoom of [0.01, 0.2, 1, 7.3, 32]) {
        const centre = mapToWorld({ x: 515800, y: 5591700 })
        const view: ViewState = { centerX: centre.x, centerY: centre.y, zoom, width: 1000, height: 700 }
        const a = sceneLayer(view, dem)
        const b = sceneLayer(view, other)
        for (const ground of groundPoints) {
          const world = mapToWorld(ground)
          const inA = a.toGlobal(apply(invert(dem), world))
          const inB = b.toGlobal(apply(invert(other), world))
          expect(Math.hypot(inA.x - inB.x, inA.y - inB.y), `zoom ${zoom}, ${ground.x},${ground.y}`).toBeLessThan(0.5)
          close(inA, worldToScreen(view, world), 3)
        }
      }
    })
  }

  it('fits all layers: the extent is the union of their ground bounds', () => {
    const extent = layersExtent([
      { info: { width: 6000, height: 4000 }, transform: dem },
      { info: { width: 1000, height: 1000 }, transform: pixelToWorld(geo(HILLSHADE)) }
    ])!
    // DEM: x 512000…518000, map y 5590000…5594000; hillshade: x 515000…520000, y 5587500…5592500.
    expect(extent).toEqual({ x: 512000, y: -5594000, width: 8000, height: 6500 })
  })
})

describe('level of detail per layer', () => {
  const SIZE = 256
  const dem: PyramidGeometry = { width: 6000, height: 4000, tileSize: SIZE, levels: pyramidLevels(6000, 4000, SIZE) }
  const hillshade: PyramidGeometry = { width: 1000, height: 1000, tileSize: SIZE, levels: pyramidLevels(1000, 1000, SIZE) }
  const centre = mapToWorld({ x: 516000, y: 5591000 })
  const world: ViewState = { centerX: centre.x, centerY: centre.y, zoom: 0.5, width: 1000, height: 700 }

  it('each layer picks its level from its own pixels per screen pixel', () => {
    const demView = layerView(world, pixelToWorld(geo(DEM)))
    const hsView = layerView(world, pixelToWorld(geo(HILLSHADE)))
    expect(demView.zoom).toBeCloseTo(0.5, 12) // 2 DEM pixels per screen pixel: level 1
    expect(hsView.zoom).toBeCloseTo(2.5, 12) // 5 m pixels magnified: level 0
    expect(planTiles(demView, dem, { isLoaded: () => false, isInFlight: () => false }).level).toBe(1)
    expect(planTiles(hsView, hillshade, { isLoaded: () => false, isInFlight: () => false }).level).toBe(0)
    close({ x: demView.centerX, y: demView.centerY }, { x: 4000, y: 3000 })
    close({ x: hsView.centerX, y: hsView.centerY }, { x: 200, y: 300 })
  })

  it('moves a lead in world units into the layer’s pixels', () => {
    close(layerDisplacement({ x: 10, y: -10 }, pixelToWorld(geo(HILLSHADE))), { x: 2, y: -2 })
  })

  it('in a rotated layer plans exactly the tiles that meet the rotated view, centre first', () => {
    const rotated = pixelToWorld(geo(ROTATED))
    const big: PyramidGeometry = { width: 8000, height: 8000, tileSize: SIZE, levels: pyramidLevels(8000, 8000, SIZE) }
    const centreWorld = apply(rotated, { x: 2000, y: 2000 })
    const view = layerView({ centerX: centreWorld.x, centerY: centreWorld.y, zoom: 0.2, width: 1000, height: 700 }, rotated)
    close({ x: view.centerX, y: view.centerY }, { x: 2000, y: 2000 })
    const plan = planTiles(view, big, { isLoaded: () => false, isInFlight: () => false })
    expect(plan.level).toBe(0) // 5 m pixels at 0.2 px/m: one screen pixel per layer pixel
    // Brute force: a tile is visible when some point of it lands on the screen.
    const toScreen = (p: Point): Point => worldToScreen({ centerX: centreWorld.x, centerY: centreWorld.y, zoom: 0.2, width: 1000, height: 700 }, apply(rotated, p))
    const expected = new Set<string>()
    for (let row = 0; row < 32; row++) {
      for (let col = 0; col < 32; col++) {
        let seen = false
        for (let i = 1; i < 16 && !seen; i++) {
          for (let j = 1; j < 16 && !seen; j++) {
            const s = toScreen({ x: (col + i / 16) * SIZE, y: (row + j / 16) * SIZE })
            seen = s.x > 0 && s.x < 1000 && s.y > 0 && s.y < 700
          }
        }
        if (seen) expected.add(coordKey({ level: 0, col, row }))
      }
    }
    const planned = new Set(plan.visible.map(coordKey))
    for (const key of expected) expect(planned.has(key), `tile ${key} on screen is planned`).toBe(true)
    // Fewer than the bounding box of the rotated view: the corners of the box are left out.
    const box = visibleTiles({ ...view, outline: undefined, width: 1000 / Math.cos(Math.PI / 6) * 1.2, height: 1000 }, big, 0)
    expect(plan.visible.length).toBeLessThan(box.length)
    for (const tile of plan.visible) {
      expect(polygonMeetsRect(view.outline!, tile.col * SIZE, tile.row * SIZE, (tile.col + 1) * SIZE, (tile.row + 1) * SIZE)).toBe(true)
    }
    // Centre first: the tile under the centre leads the high list.
    expect(plan.high.find((t) => t.level === 0)).toMatchObject({ col: 7, row: 7 })
  })

  it('tells a convex polygon and a rectangle apart by their separating axes', () => {
    const diamond = [{ x: 5, y: 0 }, { x: 10, y: 5 }, { x: 5, y: 10 }, { x: 0, y: 5 }]
    expect(polygonMeetsRect(diamond, 4, 4, 6, 6)).toBe(true)
    expect(polygonMeetsRect(diamond, 0, 0, 2, 2)).toBe(false) // in the bounding box, outside the diamond
    expect(polygonMeetsRect(diamond, 9, 9, 12, 12)).toBe(false)
    expect(polygonMeetsRect(diamond, 1.5, 1.5, 4, 4)).toBe(true)
  })
})

/** A view in EPSG:`code`, as a georeferenced layer naming it sets it. */
const view = (code: number): ViewCrs => ({ georeferenced: true, id: `EPSG:${code}`, epsg: code, name: `EPSG:${code}` })

describe('placement of mixed layers', () => {
  const utm = geo(DEM, 32631)
  const mercator = geo([333958, 10, 0, 6446276, 0, -10], 3857)

  it('takes the view CRS a person chose while some layer is in it, and offers the CRS of each layer once', () => {
    const layers = [{ georeference: utm }, { georeference: null }, { georeference: mercator }, { georeference: geo(DEM, 32631) }]
    expect(viewCrsOf(layers, 'EPSG:3857')).toMatchObject(view(3857))
    expect(viewCrsOf(layers, 'EPSG:2154')).toMatchObject(view(32631)) // no layer in it
    expect(crsChoices(layers).map((c) => c.id)).toEqual(['EPSG:32631', 'EPSG:3857'])
  })

  it('takes the view CRS from the first georeferenced layer, bottom first', () => {
    expect(viewCrsOf([{ georeference: null }, { georeference: utm }, { georeference: mercator }])).toMatchObject(view(32631))
    expect(viewCrsOf([{ georeference: null }])).toMatchObject({ georeferenced: false, epsg: null })
  })

  it('places a layer in the view CRS by its geotransform, with nothing to say', () => {
    const placed = placeLayer(utm, view(32631))
    expect(placed).toMatchObject({ kind: 'map', note: null, warning: false })
    expect(placed.mapping.affine).toEqual(pixelToWorld(utm))
  })

  it('draws a layer without georeferencing at the world origin, one unit per pixel, and says so among georeferenced ones', () => {
    const placed = placeLayer(null, view(32631))
    expect(placed.mapping.affine).toEqual(IDENTITY)
    expect(placed.warning).toBe(true)
    expect(placed.note).toMatch(/Not georeferenced: drawn at the map origin \(0, 0\), one map unit per pixel/)
    expect(placeLayer(null, PIXEL_VIEW).note).toBeNull()
  })

  it('reprojects a layer of another known CRS on the fly, and says so', () => {
    const placed = placeLayer(mercator, view(32631))
    expect(placed).toMatchObject({ kind: 'reprojected', note: "EPSG:3857 reprojected on the fly to the view's EPSG:32631", warning: false })
    expect(placed.mapping.affine).toBeNull()
  })

  it('draws a layer of an unknown CRS without reprojection and warns plainly', () => {
    const unknown = placeLayer(geo(DEM, 999998), view(32631))
    expect(unknown).toMatchObject({ kind: 'unprojected', note: "EPSG:999998 differs from the view's EPSG:32631: drawn without reprojection", warning: true })
    expect(placeLayer(geo(DEM, null), view(32631)).note).toBe("Unknown CRS differs from the view's EPSG:32631: drawn without reprojection")
  })
})

describe('reprojection on the fly', () => {
  /** 10 m Web Mercator pixels from (333958.47, 6446275.84), that is 3° E, 50° N. */
  const gt: GeoTransform = [333958.47, 10, 0, 6446275.84, 0, -10]
  const mapping = reprojectedMapping(gt, 'EPSG:3857', 'EPSG:32631')!

  it('takes a pixel to where GDAL puts it (gdaltransform EPSG:3857 → EPSG:32631), and back', () => {
    close(worldToMap(mapping.toWorld({ x: 0, y: 0 })), { x: 499999.998467881, y: 5538630.70221445 }, 3)
    close(worldToMap(mapping.toWorld({ x: 100, y: 100 })), { x: 500643.871868151, y: 5537988.69408799 }, 3)
    close(mapping.toPixel(mapping.toWorld({ x: 37.25, y: 81.5 })), { x: 37.25, y: 81.5 }, 6)
  })

  it('knows no mapping between CRSs it does not know', () => {
    expect(reprojectedMapping(gt, 'EPSG:3857', 'EPSG:2154')).toBeNull()
  })

  it('draws a tile as a mesh within half a screen pixel of the reprojection, finer as the zoom grows', () => {
    const rect = { x: 0, y: 0, width: 4096, height: 4096 } // a coarse tile: 41 km wide
    let cellsBefore = 0
    for (const zoom of [0.001, 0.05, 1]) {
      const mesh = tileMesh(mapping.toWorld, rect, 0.5 / zoom)
      expect(mesh.cells).toBeGreaterThanOrEqual(cellsBefore)
      cellsBefore = mesh.cells
      if (mesh.cells < MAX_MESH_CELLS) expect(mesh.errorWorld * zoom).toBeLessThanOrEqual(0.5)
      // Anywhere in the tile, the mesh's linear interpolation stays within the tolerance (+ what MAX_MESH_CELLS allows).
      const n = mesh.cells
      const vertex = (i: number, j: number): Point => {
        const k = j * (n + 1) + i
        return { x: mesh.positions[k * 2]! + mesh.origin.x, y: mesh.positions[k * 2 + 1]! + mesh.origin.y }
      }
      for (const [u, v] of [[0.13, 0.71], [0.5, 0.5], [0.91, 0.07], [0.33, 0.34]] as const) {
        const fx = u * n
        const fy = v * n
        const i = Math.min(n - 1, Math.floor(fx))
        const j = Math.min(n - 1, Math.floor(fy))
        const s = fx - i
        const t = fy - j
        // Triangles (i,j)-(i+1,j)-(i+1,j+1) and (i,j)-(i+1,j+1)-(i,j+1), as the indices say.
        const [a, b, c] = s >= t ? [vertex(i, j), vertex(i + 1, j), vertex(i + 1, j + 1)] : [vertex(i, j), vertex(i + 1, j + 1), vertex(i, j + 1)]
        const p = s >= t
          ? { x: a.x + s * (b.x - a.x) + t * (c.x - b.x), y: a.y + s * (b.y - a.y) + t * (c.y - b.y) }
          : { x: a.x + s * (b.x - c.x) + t * (c.x - a.x), y: a.y + s * (b.y - c.y) + t * (c.y - a.y) }
        const truth = mapping.toWorld({ x: u * rect.width, y: v * rect.height })
        expect(Math.hypot(p.x - truth.x, p.y - truth.y) * zoom, `zoom ${zoom}, at ${u},${v} with ${n} cells`).toBeLessThanOrEqual(Math.max(0.5, mesh.errorWorld * zoom) * 1.5)
      }
    }
    expect(cellsBefore).toBeGreaterThan(1)
  })

  it('sees the screen from the reprojected layer: the layer pixels under the view, its own zoom', () => {
    const centre = mapping.toWorld({ x: 500, y: 500 })
    const view = layerView({ centerX: centre.x, centerY: centre.y, zoom: 0.5, width: 800, height: 600 }, mapping)
    close({ x: view.centerX, y: view.centerY }, { x: 500, y: 500 }, 4)
    // 10 Mercator metres are 6.4 ground metres at 50° N: 0.5 px/m × 6.4 m per pixel.
    expect(view.zoom).toBeCloseTo(0.5 * 10 * 0.6435, 1)
    const xs = view.outline!.map((p) => p.x)
    expect(Math.max(...xs) - Math.min(...xs)).toBeCloseTo(800 / view.zoom, -1)
  })
})

describe('placement keeps the fit', () => {
  it('bounds a reprojected raster by its bent border', () => {
    const mapping = reprojectedMapping([333958.47, 10, 0, 6446275.84, 0, -10], 'EPSG:3857', 'EPSG:32631')!
    const extent = layersExtent([{ info: { width: 100, height: 100 }, transform: mapping.localAffine({ x: 50, y: 50 }), mapping }])!
    expect(extent.x).toBeCloseTo(500000, -1)
    expect(extent.width).toBeCloseTo(643, -1)
  })
})

describe('coordinate reference systems', () => {
  it('turns UTM 31N into latitude/longitude as GDAL does (gdaltransform)', () => {
    const p = toLatLon('EPSG:32631', 515000, 5592500)!
    expect(p.lon).toBeCloseTo(3.21143272151466, 7)
    expect(p.lat).toBeCloseTo(50.4842910113199, 7)
    const south = toLatLon('EPSG:32731', 500000, 5592500)!
    expect(south.lat).toBeLessThan(0)
  })

  it('turns Web Mercator into latitude/longitude, and EPSG:4326 is latitude/longitude already', () => {
    const p = toLatLon('EPSG:3857', 333958.47, 6446275.84)!
    expect(p.lon).toBeCloseTo(3, 6)
    expect(p.lat).toBeCloseTo(50, 6)
    expect(toLatLon('EPSG:4326', 3.5, 50.25)).toEqual({ lat: 50.25, lon: 3.5 })
  })

  it('knows other codes only once looked up in the proj4 definitions list, and guesses none', async () => {
    expect(crsDefinition('EPSG:2154')).toBeNull()
    expect(toLatLon('EPSG:31370', 150000, 170000)).toBeNull()
    expect(needsCrsLookup(['EPSG:32631', null, 'EPSG:31370'])).toBe(true)
    expect(await loadCrsDefinitions(['EPSG:31370', 'EPSG:2154', 'EPSG:999999'])).toBe(true)
    expect(needsCrsLookup(['EPSG:31370', 'EPSG:2154', 'EPSG:999999'])).toBe(false) // 999999 looked up, not found: stays unknown
    expect(crsDefinition('EPSG:999999')).toBeNull()
    // Belgian Lambert 72 (its datum shift included) and Lambert-93, as GDAL's gdaltransform gives them.
    const brussels = toLatLon('EPSG:31370', 150000, 170000)!
    expect(brussels.lon).toBeCloseTo(4.36875214090419, 8)
    expect(brussels.lat).toBeCloseTo(50.8404112831179, 8)
    const france = toLatLon('EPSG:2154', 700000, 6600000)!
    expect(france.lon).toBeCloseTo(3, 6)
    expect(france.lat).toBeCloseTo(46.5, 6)
    // …and reprojects between them.
    expect(reprojectedMapping([150000, 1, 0, 170000, 0, -1], 'EPSG:31370', 'EPSG:32631')).not.toBeNull()
  })

  it('measures ground metres per map unit: 1 / 0.9996 on the UTM central meridian, cos(latitude) on the ellipsoid for Web Mercator', () => {
    expect(metresPerUnit('EPSG:32631', 500000, 5592500, 100)!).toBeCloseTo(1 / 0.9996, 5)
    const lat = (50 * Math.PI) / 180
    // A parallel's ground length over Mercator's a·Δλ: N(φ)·cos φ / a.
    expect(metresPerUnit('EPSG:3857', 333958.47, 6446275.84, 100)!).toBeCloseTo(Math.cos(lat) / Math.sqrt(1 - 0.00669437999014 * Math.sin(lat) ** 2), 5)
  })

  it('draws a round scale bar no longer than asked', () => {
    expect(scaleBar(1, 120)).toEqual({ pixels: 100, label: '100 m' })
    expect(scaleBar(25, 120)).toEqual({ pixels: 80, label: '2 km' })
    expect(scaleBar(0.001, 120)).toEqual({ pixels: 100, label: '10 cm' })
    expect(scaleBar(2, 120, 'map units')).toEqual({ pixels: 100, label: '200 map units' })
    expect(scaleBar(0)).toBeNull()
  })
})
