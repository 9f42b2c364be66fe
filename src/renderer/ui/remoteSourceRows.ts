/**
 * What a layer's info says of a raster read from a server (issue 24): its URL (as text, to select
 * and copy, not a link to follow), the size and date the server gave, and whether the server
 * ignored range requests so that the file was read whole. Pure: rows of label → value.
 */
import type { RasterInfo } from '../../shared/raster'
import { formatBytes } from './format'

/** The info rows of a raster opened by URL; none for a local file or a web map layer (`kind: 'web'`, its own rows). */
export function remoteSourceRows(source: RasterInfo['source']): Array<[string, string]> {
  if (source === undefined || !('size' in source)) return []
  const rows: Array<[string, string]> = [
    ['URL', source.url],
    ['Server size', `${formatBytes(source.size)} (${source.size.toLocaleString('en-US')} bytes)`],
    ['File date', source.lastModified === null ? 'not given by the server' : formatHttpDate(source.lastModified)]
  ]
  if (source.wholeBody) rows.push(['Read', 'whole: the server ignores Range requests'])
  return rows
}

/**
 * An HTTP date ("Sun, 06 Dec 2026 07:19:05 GMT") as "2026-12-06 07:19:05 UTC"; a date that does
 * not parse is shown as the server wrote it.
 */
export function formatHttpDate(text: string): string {
  const time = Date.parse(text)
  if (!Number.isFinite(time)) return text
  return `${new Date(time).toISOString().slice(0, 19).replace('T', ' ')} UTC`
}
