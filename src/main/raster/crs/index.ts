/**
 * A raster's CRS as its georeferencing says it, in full (DESIGN.md §4, issue 21): from a GeoTIFF's
 * keys (`crsFromGeoKeys`) or from a WKT, PROJ string or EPSG code (`crsFromDefinition`, for `.prj`,
 * `.aux.xml` and a CRS set by hand), each turned into the shared contract's `CrsInfo` with its EPSG
 * code named or identified. Runs in the decode worker (the EPSG list is loaded there, on need).
 */
import type { CrsInfo, CrsSource } from '../../../shared/raster'
import { crsInfoOf, undefinedEpsgCrs } from './crsInfo'
import { epsgDefinition } from './epsgDefinitions'
import { compareDefinitions, sameButForShift } from './identify'
import { type ProjDefinition, parseProjString } from './projDefinition'
import { looksLikeWkt, parseWkt } from './wkt'

export { crsFromGeoKeys } from './geoKeys'

/**
 * A geographic CRS drawn as its datum's own (GCS_ETRS_1989 is EPSG:4258, not the lower 3824 of
 * another datum that draws the same), as GDAL names it by the datum; null otherwise.
 */
function datumCrsOf(definition: ProjDefinition, datumCrs: number | null): number | null {
  if (definition.method !== 'longlat' || datumCrs === null) return null
  const known = epsgDefinition(datumCrs)
  return known && compareDefinitions(definition, known) === 'same' ? datumCrs : null
}

/**
 * The CRS of a definition text: a WKT1 (OGC or ESRI, as in `.prj` files and GDAL's `.aux.xml`), a
 * WKT2 that names its EPSG code, a PROJ string, or `EPSG:<n>`. A code the text states is trusted
 * (as GDAL does), and its definition, datum shift included, drawn when the WKT states no shift of
 * its own; otherwise a code is identified when the definition is equivalent. Throws an Error
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
    const stated = wkt.epsg !== null ? epsgDefinition(wkt.epsg) : null
    // A stated code whose datum shift the WKT leaves out draws with the code's shift, as GDAL does.
    const parsed = wkt.definition && stated && !wkt.shiftStated && sameButForShift(wkt.definition, stated) ? stated : (wkt.definition ?? stated)
    if (!parsed) return undefinedEpsgCrs(wkt.epsg!, source, wkt.name)
    return crsInfoOf(parsed, { source, name: wkt.name, epsg: wkt.epsg ?? datumCrsOf(parsed, wkt.datumCrs) })
  }
  if (!text.startsWith('+')) throw new Error(`Expected a WKT, a PROJ string or EPSG:<code> for a CRS definition but received ${JSON.stringify(text.slice(0, 80))}`)
  return crsInfoOf(parseProjString(text), { source })
}
