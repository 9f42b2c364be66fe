import type { CrsInfo } from '../../../shared/raster'

/** GeoTIFF keys → CRS (being written). */
export function crsFromGeoKeys(_keys: Record<string, unknown>): CrsInfo | null {
  return null
}
