/**
 * The side-cars that place a saved view on the map: a world file (`.pgw`: the picture's pixels to
 * map coordinates, `view/map/worldFile.ts`), the view's CRS as WKT1 (`.prj`, `view/map/wkt.ts`),
 * and the same WKT in GDAL's `.png.aux.xml` (GDAL reads a PNG's world file but not a `.prj` beside
 * it: without the `.aux.xml`, gdalinfo and QGIS place it but name no CRS). Nothing for a view
 * without georeferencing: its world units are pixels of a picture, on no map.
 */
import { crsDefinition } from '../view/map/crs'
import type { ViewCrs } from '../view/map/placement'
import { wktOfDefinition } from '../view/map/wkt'
import { pictureToMap, worldFileText, type SavedPicture } from '../view/map/worldFile'
import type { Orientation } from '../view/screenOrientation'
import type { ViewState } from '../view/TileScheduler'

/** One file to save beside the PNG. */
export interface SideCar {
  fileName: string
  text: string
  type: string
}

/**
 * The side-cars of `pngName` (a picture of `view` as drawn, turned by `orientation`): none when the
 * view is not georeferenced; the world file alone when its CRS cannot be written.
 */
export function georeferenceSideCars(pngName: string, view: ViewState, orientation: Orientation, picture: SavedPicture, crs: ViewCrs): SideCar[] {
  if (!crs.georeferenced) return []
  const stem = pngName.replace(/\.png$/i, '')
  const files: SideCar[] = [{ fileName: `${stem}.pgw`, text: worldFileText(pictureToMap(view, orientation, picture)), type: 'text/plain' }]
  const definition = crsDefinition(crs.id)
  const wkt = definition ? wktOfDefinition(definition, crs.name ?? crs.id ?? 'unknown', crs.epsg) : null
  if (wkt) {
    files.push({ fileName: `${stem}.prj`, text: wkt, type: 'text/plain' })
    files.push({ fileName: `${pngName}.aux.xml`, text: `<PAMDataset>\n  <SRS dataAxisToSRSAxisMapping="1,2">${escapeXml(wkt)}</SRS>\n</PAMDataset>\n`, type: 'application/xml' })
  }
  return files
}

/** Saves text as a file through the browser's download (Electron: its save dialog). */
export function downloadText(file: SideCar): void {
  const url = URL.createObjectURL(new Blob([file.text], { type: file.type }))
  const link = document.createElement('a')
  link.href = url
  link.download = file.fileName
  document.body.append(link)
  link.click()
  link.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}
