import { describe, expect, it } from 'vitest'
import { pictureCorners, pictureToMap, worldFileText } from '../../src/renderer/view/map/worldFile'
import { UPRIGHT, rotateOrientation, flipOrientation } from '../../src/renderer/view/screenOrientation'
import { readoutTsv } from '../../src/renderer/ui/readoutTable'

/** A view 1000 × 600 CSS pixels on (512600, 5593600), 2 m per screen pixel (world Y is −map Y). */
const view = { centerX: 512600, centerY: -5593600, zoom: 0.5, width: 1000, height: 600 }
const lines = (text: string): number[] => text.trim().split('\n').map(Number)

describe('the world file of a saved view', () => {
  it('places an upright picture: 2 m per pixel, north up, its top-left corner where the view\'s is', () => {
    const affine = pictureToMap(view, UPRIGHT, { width: 1000, height: 600, canvasPixelsPerScreen: 1 })
    expect(affine).toMatchObject({ a: 2, b: 0, c: 0, d: -2, tx: 511600, ty: 5594200 })
    // ESRI's world file gives the centre of the top-left pixel.
    expect(lines(worldFileText(affine))).toEqual([2, 0, 0, -2, 511601, 5594199])
    expect(pictureCorners(affine, 1000, 600).lowerRight).toEqual({ x: 513600, y: 5593000 })
  })

  it('counts canvas pixels per screen pixel: a 2× export (or a device ratio of 2) has pixels half as large, the same corners', () => {
    const affine = pictureToMap(view, UPRIGHT, { width: 2000, height: 1200, canvasPixelsPerScreen: 2 })
    expect(affine).toMatchObject({ a: 1, d: -1, tx: 511600, ty: 5594200 })
    // The export's own way: the camera laid out twice as large and zoomed twice as much.
    const doubled = pictureToMap({ ...view, width: 2000, height: 1200, zoom: 1 }, UPRIGHT, { width: 2000, height: 1200, canvasPixelsPerScreen: 1 })
    expect(doubled).toEqual(affine)
  })

  it('turns with a view turned a quarter clockwise: the picture\'s columns run north, its rows east', () => {
    const turned = rotateOrientation(UPRIGHT, 1)
    // The picture is as seen: 600 wide, 1000 tall; its top-left corner is the view's south-west corner.
    const affine = pictureToMap(view, turned, { width: 600, height: 1000, canvasPixelsPerScreen: 1 })
    expect(affine).toMatchObject({ a: 0, b: 2, c: 2, d: 0, tx: 511600, ty: 5593000 })
    const corners = pictureCorners(affine, 600, 1000)
    expect(corners.upperRight).toEqual({ x: 511600, y: 5594200 })
    expect(corners.lowerRight).toEqual({ x: 513600, y: 5594200 })
    expect(lines(worldFileText(affine))).toEqual([0, 2, 2, 0, 511601, 5593001])
  })

  it('mirrors with a mirrored view: the picture\'s top-left corner is the view\'s top-right one', () => {
    const affine = pictureToMap(view, flipOrientation(UPRIGHT), { width: 1000, height: 600, canvasPixelsPerScreen: 1 })
    expect(affine).toMatchObject({ a: -2, b: 0, c: 0, d: -2, tx: 513600, ty: 5594200 })
  })

  it('half turned: the picture upside down, its top-left corner the view\'s bottom-right', () => {
    const affine = pictureToMap(view, rotateOrientation(UPRIGHT, 2), { width: 1000, height: 600, canvasPixelsPerScreen: 1 })
    expect(affine).toMatchObject({ a: -2, b: 0, c: 0, d: 2, tx: 513600, ty: 5593000 })
  })
})

describe('the readout as tab-separated values', () => {
  it('has a header row, then x, y, lat, lon and one column per visible layer, top first', () => {
    const text = readoutTsv({
      map: { x: 512600.25, y: 5593600.5, epsg: 32631, crs: 'EPSG:32631', label: 'EPSG:32631' },
      layers: [
        { name: 'hillshade.tif', values: [40, 80, 210] },
        { name: 'dem.tif', values: [900] },
        { name: 'plain.png', values: null }
      ]
    })
    const [header, row, end] = text.split('\n')
    expect(header!.split('\t')).toEqual(['x', 'y', 'lat', 'lon', 'hillshade.tif', 'dem.tif', 'plain.png'])
    const cells = row!.split('\t')
    expect(cells.slice(0, 2)).toEqual(['512600.250', '5593600.500'])
    // gdaltransform -s_srs EPSG:32631 -t_srs EPSG:4326: 3.17764430°E, 50.49424461°N.
    expect(Number(cells[2])).toBeCloseTo(50.49424461, 7)
    expect(Number(cells[3])).toBeCloseTo(3.17764430, 7)
    expect(cells.slice(4)).toEqual(['40 80 210', '900', ''])
    expect(end).toBe('')
  })

  it('gives the top layer\'s pixel and no latitude without georeferencing; no data is an empty cell', () => {
    const text = readoutTsv({ x: 12.7, y: 40.2, layers: [{ name: 'scan\t1.png', values: [null] }] })
    expect(text).toBe('x\ty\tlat\tlon\tscan 1.png\n12\t40\t\t\t\n')
  })
})
