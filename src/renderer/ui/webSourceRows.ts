/**
 * What a layer's info says of a web map layer (issue 25): its service, the capabilities URL or
 * template it came from (as text, to select and copy), its layer and its attribution. Pure: rows
 * of label → value.
 */
import type { RasterInfo } from '../../shared/raster'
import { serviceLabel } from './webLayerChoice'

/** The info rows of a web map layer; none for anything else. */
export function webSourceRows(source: RasterInfo['source']): Array<[string, string]> {
  if (source?.kind !== 'web') return []
  return [
    ['Service', serviceLabel(source.service)],
    ['URL', source.url],
    ['Layer', source.layer],
    ['Attribution', source.attribution === '' ? 'none stated' : source.attribution]
  ]
}
