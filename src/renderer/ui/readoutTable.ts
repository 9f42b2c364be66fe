/**
 * The readout under the cursor as tab-separated values that paste into a spreadsheet (the `c`
 * shortcut): a header row, then one row: x, y (map coordinates in the view's CRS, or the top
 * layer's pixel without georeferencing), lat, lon (WGS 84 degrees, empty where the CRS is
 * unknown), then one column per visible layer, top first, named by the layer. A layer's cell is
 * its value (bands separated by spaces); empty outside the layer, where it is no data or not
 * loaded yet. Pure.
 */
import { isGeographicCrs, toLatLon } from '../view/map/crs'
import type { Readout } from './StatusBar'
import { formatSample } from './format'

/** Header and row of the readout, tab-separated, ending with a line break. */
export function readoutTsv(readout: Readout): string {
  const map = readout.map
  const crs = map ? (map.crs ?? (map.epsg !== null ? `EPSG:${map.epsg}` : null)) : null
  let x = ''
  let y = ''
  let lat = ''
  let lon = ''
  if (map) {
    const decimals = isGeographicCrs(crs) ? 8 : 3
    x = map.x.toFixed(decimals)
    y = map.y.toFixed(decimals)
    const ll = crs ? toLatLon(crs, map.x, map.y) : null
    if (ll) {
      lat = ll.lat.toFixed(8)
      lon = ll.lon.toFixed(8)
    }
  } else if (readout.x !== undefined && readout.y !== undefined) {
    x = String(Math.floor(readout.x))
    y = String(Math.floor(readout.y))
  }
  const layers = readout.layers ?? []
  const header = ['x', 'y', 'lat', 'lon', ...layers.map((l) => cell(l.name))]
  const row = [x, y, lat, lon, ...layers.map((l) => (l.values ? l.values.map((v) => (v === null ? '' : formatSample(v))).join(' ').trim() : ''))]
  return `${header.join('\t')}\n${row.join('\t')}\n`
}

/** Text safe in one cell: no tab or line break. */
function cell(text: string): string {
  return text.replace(/[\t\r\n]+/g, ' ')
}
