/**
 * The class names of a raster's attribute table as GDAL keeps it beside the file: a
 * `<GDALRasterAttributeTable>` in the `<PAMRasterBand band="1">` of `<file>.aux.xml` (formats without
 * a RAT of their own, GeoTIFF among them). What the readout names a land-cover class by.
 */
import { readFileSync } from 'node:fs'
import type { ClassName } from '../../shared/raster'
import { decodeXmlText } from './xmlText'

/** GDAL's field usages (GDALRATFieldUsage): the class name, and the columns holding the pixel value. */
const USAGE = { name: 2, min: 3, minMax: 5 } as const
const STRING_TYPE = 2
/** Side-cars larger than this are not read (a RAT of every pixel of a continuous raster is no class list). */
const MAX_AUX_BYTES = 16 * 1024 * 1024

/** The class names of band 1 in `<path>.aux.xml`, by value; null when there is no such table or it names nothing. */
export function classNamesBeside(path: string): ClassName[] | null {
  let text: string
  try {
    const bytes = readFileSync(`${path}.aux.xml`)
    if (bytes.byteLength > MAX_AUX_BYTES) return null
    text = bytes.toString('utf8')
  } catch {
    return null
  }
  return classNamesOfPam(text)
}

/**
 * The class names of band 1's raster attribute table in a PAM document: the name column (usage
 * Name, else the first string column) by the value column (usage MinMax or Min; without one, the
 * row index, shifted by the table's Row0Min and BinSize when it bins linearly).
 */
export function classNamesOfPam(text: string): ClassName[] | null {
  const band = /<PAMRasterBand\b[^>]*\bband="1"[^>]*>([\s\S]*?)<\/PAMRasterBand>/.exec(text)?.[1]
  const table = band && /<GDALRasterAttributeTable\b([^>]*)>([\s\S]*?)<\/GDALRasterAttributeTable>/.exec(band)
  if (!table) return null
  const [, attributes, body] = table as unknown as [string, string, string]
  const fields = [...body.matchAll(/<FieldDefn\b[^>]*\bindex="(\d+)"[^>]*>([\s\S]*?)<\/FieldDefn>/g)].map((m) => ({
    index: Number(m[1]),
    type: Number(/<Type>\s*(\d+)\s*<\/Type>/.exec(m[2]!)?.[1] ?? -1),
    usage: Number(/<Usage>\s*(\d+)\s*<\/Usage>/.exec(m[2]!)?.[1] ?? 0)
  }))
  const nameField = fields.find((f) => f.usage === USAGE.name) ?? fields.find((f) => f.type === STRING_TYPE)
  if (!nameField) return null
  const valueField = fields.find((f) => f.usage === USAGE.minMax) ?? fields.find((f) => f.usage === USAGE.min)
  const row0 = Number(/\bRow0Min="([^"]*)"/.exec(attributes)?.[1] ?? 0)
  const binSize = Number(/\bBinSize="([^"]*)"/.exec(attributes)?.[1] ?? 1)
  const classes: ClassName[] = []
  for (const row of body.matchAll(/<Row\b[^>]*\bindex="(\d+)"[^>]*>([\s\S]*?)<\/Row>/g)) {
    const cells = [...row[2]!.matchAll(/<F\s*\/>|<F>([\s\S]*?)<\/F>/g)].map((m) => decodeXmlText(m[1] ?? '').trim())
    const name = cells[nameField.index]
    const value = valueField ? Number(cells[valueField.index]) : row0 + Number(row[1]) * binSize
    if (name && Number.isFinite(value)) classes.push({ value, name })
  }
  return classes.length > 0 ? classes : null
}
