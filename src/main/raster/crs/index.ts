/**
 * A raster's CRS as its georeferencing says it, in full (DESIGN.md §4, issue 21): from a GeoTIFF's
 * keys (`crsFromGeoKeys`) or from a WKT, PROJ string or EPSG code (`crsFromDefinition`, for `.prj`,
 * `.aux.xml` and a CRS set by hand), each turned into the shared contract's `CrsInfo` with its EPSG
 * code named or identified. Runs in the decode worker (the EPSG list is loaded there, on need).
 */
import type { CrsInfo, CrsSource } from '../../../shared/raster'
import { crsInfoOf, undefinedEpsgCrs } from './crsInfo'
import { epsgDefinition } from './epsgDefinitions'
import { parseProjString } from './projDefinition'
import { looksLikeWkt, parseWkt } from './wkt'

export { crsFromGeoKeys } from './geoKeys'

/**
 * The CRS of a definition text: a WKT1 (OGC or ESRI, as in `.prj` files and GDAL's `.aux.xml`), a
 * WKT2 that names its EPSG code, a PROJ string, or `EPSG:<n>`. A code the text states is trusted
 * (as GDAL does); otherwise one is identified when the definition is equivalent. Throws an Error
 * that names what it could not read (an unknown projection, a malformed WKT or PROJ string).
 */
export function crsFromDefinition(definition: string, source: CrsSource): CrsInfo {
  const text = definition.trim()
  const code = /^EPSG:(\d+)$/i.exec(text)
  if (code) {
    const epsg = Number(code[1])
    const known = epsgDefinition(epsg)
    return known ? crsInfoOf(known, { source, epsg }) : undefinedEpsgCrs(epsg, source)
  }
  if (looksLikeWkt(text)) {
    const wkt = parseWkt(text)
    const parsed = wkt.definition ?? (wkt.epsg !== null ? epsgDefinition(wkt.epsg) : null)
    if (!parsed) return undefinedEpsgCrs(wkt.epsg!, source, wkt.name)
    return crsInfoOf(parsed, { source, name: wkt.name, epsg: wkt.epsg })
  }
  if (!text.startsWith('+')) throw new Error(`Expected a WKT, a PROJ string or EPSG:<code> for a CRS definition but received ${JSON.stringify(text.slice(0, 80))}`)
  return crsInfoOf(parseProjString(text), { source })
}
