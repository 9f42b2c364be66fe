/**
 * WMS 1.3.0 writes and reads coordinates in the axis order the CRS defines (OGC 06-042 §6.7.3):
 * EPSG:4326 is latitude, longitude; WMS 1.1.1 is always x = east, y = north. proj4js definitions do
 * not carry the axis, so the CRSs that put northing first are named here: every geographic EPSG
 * CRS (their definition is `+proj=longlat`), and the projected ones of Europe's INSPIRE grids that
 * servers most often offer (EPSG:3034, 3035, 3042, 3043, 3044, as MapServer's table has them).
 * Other projected CRSs are taken east first, as most define themselves.
 */
import { epsgProjString } from '../raster/crs/epsgDefinitions'

const NORTHING_FIRST_PROJECTED: ReadonlySet<number> = new Set([3034, 3035, 3042, 3043, 3044])

/** The EPSG code of a CRS id (`EPSG:4326`, `urn:ogc:def:crs:EPSG::4326`, `urn:ogc:def:crs:EPSG:6.18.3:3857`, `http://www.opengis.net/def/crs/EPSG/0/3857`), or null (`CRS:84`). */
export function epsgCodeOf(crs: string): number | null {
  const text = crs.trim()
  const match = /^(?:urn:ogc:def:crs:)?EPSG:(?:[\d.]*:)*?:?(\d+)$/i.exec(text) ?? /^https?:\/\/www\.opengis\.net\/def\/crs\/EPSG\/[\d.]+\/(\d+)$/i.exec(text)
  return match ? Number(match[1]) : null
}

/** True for a geographic CRS (degrees): `CRS:84`, or an EPSG code whose definition is `+proj=longlat`. */
export function isGeographic(crs: string): boolean {
  if (crs.trim().toUpperCase() === 'CRS:84') return true
  const epsg = epsgCodeOf(crs)
  const definition = epsg === null ? null : epsgProjString(epsg)
  return definition !== null && /\+proj=(longlat|latlong)\b/.test(definition)
}

/** True when `crs`'s axes are northing, easting (latitude, longitude) in WMS 1.3.0 and WMTS. */
export function northingFirst(crs: string): boolean {
  const epsg = epsgCodeOf(crs)
  if (epsg === null) return false
  return NORTHING_FIRST_PROJECTED.has(epsg) || isGeographic(crs)
}

/** The CRS id as Tessera names it (`EPSG:<n>`), or the id as given (`CRS:84`). */
export function normalCrsId(crs: string): string {
  const epsg = epsgCodeOf(crs)
  return epsg !== null ? `EPSG:${epsg}` : crs.trim()
}
