/**
 * Where a saved picture of the view lies on the map: the affine transform from the picture's pixels
 * to map coordinates, through the camera (world = (map X, −map Y), `shared/geo/affine.ts`), the
 * canvas's pixels per screen pixel (device pixels, a 2× or 4× export) and the view's turn and
 * mirror (the picture is saved as it is seen, `ui/exportView.ts` `orientedCopy`). Written as an
 * ESRI world file (`.pgw`), which GDAL and QGIS read beside the PNG. Pure: no DOM, no Pixi.
 */
import { worldToMap, type Affine, type Point } from '../../../shared/geo/affine'
import { screenToWorld } from '../layerView'
import { stageToCanvas, type Orientation } from '../screenOrientation'
import type { ViewState } from '../TileScheduler'

/** A saved picture of the view: its size in pixels, and the canvas pixels per pixel of the camera's screen. */
export interface SavedPicture {
  width: number
  height: number
  /** Canvas pixels per CSS pixel of the camera's screen (the device pixel ratio). */
  canvasPixelsPerScreen: number
}

/**
 * The picture's pixel (column, row; corner convention, (0, 0) its top-left corner) → map point, as
 * an affine (x' = a·col + c·row + tx, y' = b·col + d·row + ty). A turned view gives a rotated
 * transform; a mirrored one a transform of negative determinant.
 */
export function pictureToMap(view: ViewState, orientation: Orientation, picture: SavedPicture): Affine {
  const at = (col: number, row: number): Point => {
    // The canvas pixel this picture pixel was copied from, then the camera's screen, world, map.
    const canvas = stageToCanvas(orientation, picture, { x: col, y: row })
    const k = picture.canvasPixelsPerScreen
    return worldToMap(screenToWorld(view, { x: canvas.x / k, y: canvas.y / k }))
  }
  // Steps measured across the whole picture: map coordinates are large, a one-pixel difference loses digits.
  const origin = at(0, 0)
  const alongRow = at(picture.width, 0)
  const alongColumn = at(0, picture.height)
  return {
    a: (alongRow.x - origin.x) / picture.width,
    b: (alongRow.y - origin.y) / picture.width,
    c: (alongColumn.x - origin.x) / picture.height,
    d: (alongColumn.y - origin.y) / picture.height,
    tx: origin.x,
    ty: origin.y
  }
}

/**
 * The six lines of a world file for `affine` (picture pixel → map): x per column, y per column,
 * x per row, y per row, then the map point of the *centre* of the top-left pixel, as ESRI's format
 * says (GDAL moves it back half a pixel when it reads it).
 */
export function worldFileText(affine: Affine): string {
  const centreX = affine.tx + (affine.a + affine.c) / 2
  const centreY = affine.ty + (affine.b + affine.d) / 2
  return [affine.a, affine.b, affine.c, affine.d, centreX, centreY].map(exactNumber).join('\n') + '\n'
}

/** The map points of the picture's four corners, as `gdalinfo` names them. */
export function pictureCorners(affine: Affine, width: number, height: number): Record<'upperLeft' | 'upperRight' | 'lowerLeft' | 'lowerRight', Point> {
  const at = (col: number, row: number): Point => ({ x: affine.a * col + affine.c * row + affine.tx, y: affine.b * col + affine.d * row + affine.ty })
  return { upperLeft: at(0, 0), upperRight: at(width, 0), lowerLeft: at(0, height), lowerRight: at(width, height) }
}

/** A number with every digit it needs to read back as itself (a world file is read back exactly). */
function exactNumber(value: number): string {
  const text = String(Object.is(value, -0) ? 0 : value)
  return text.includes('e') ? value.toFixed(20).replace(/\.?0+$/, '') : text
}
