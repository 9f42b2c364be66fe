/**
 * Georeferencing carried beside a file (issue 21): GDAL's PAM `<file>.aux.xml` (its `<SRS>` and
 * `<GeoTransform>`), an ESRI world file (`.tfw`, `.jgw`, `.pgw`, `.wld`…) and a `.prj` (ESRI or
 * OGC WKT). Read in the decode worker at probe time; a missing side-car is normal, an unreadable
 * one is a warning and the file opens as if it were not there.
 *
 * Which source wins is GDAL's (3.6, measured with gdalinfo on files written by gdal_translate):
 * - GeoTIFF: its georeferencing sources are `PAM,INTERNAL,TABFILE,WORLDFILE` (the GTiff driver's
 *   GEOREF_SOURCES default): an `.aux.xml` SRS or GeoTransform overrides the file's own keys and
 *   tags, and a world file is read only when neither gives a geotransform.
 * - PNG and GIF: the world file before the `.aux.xml` GeoTransform (their GetGeoTransform).
 * - JPEG and the others: the `.aux.xml` GeoTransform before the world file.
 * - The CRS is the `.aux.xml` SRS, else the file's own. GDAL reads no `.prj` beside a GeoTIFF or an
 *   image; Tessera reads it when nothing else names a CRS, as ArcGIS does with a world file's
 *   `.prj` (DESIGN.md §4). GDAL reads no world file beside a WebP; Tessera reads `.wld`/`.webpw`.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs'
import type { CrsInfo, CrsSource, GeoTransform, Georeference } from '../../../shared/raster'
import { crsFromDefinition } from './index'
import { extensionOf, parsePamXml, parseWorldFile, worldFileExtensions, type PamGeoreferencing } from './sidecarFormats'

/** A world file's first 100 lines of fewer than 100 characters fit in this; more is never read. */
const WORLD_FILE_READ_BYTES = 16 * 1024
/** Larger `.prj` or `.aux.xml` files are not side-cars anyone wrote by hand or by GDAL: refused with a warning. */
const PRJ_MAX_BYTES = 1024 * 1024
const AUX_XML_MAX_BYTES = 32 * 1024 * 1024

/** How side-cars are read: the disk in the worker, a table in unit tests. */
export interface SidecarFiles {
  /** The first `maxBytes` bytes of the file at `path` as text and its full size; null when there is no such file. */
  read(path: string, maxBytes: number): { text: string; size: number } | null
}

export interface SidecarGeoreference {
  /** The file's georeferencing with its side-cars applied; `internal` itself when they change nothing. */
  georeference: Georeference | null
  /** Side-cars found but not used, or used in part, each naming its file. */
  warnings: string[]
}

/**
 * The georeferencing GDAL gives the file at `path` (`format` as the probe names it: 'tiff', 'png',
 * 'jpeg'…) from its own `internal` georeferencing and its side-cars, plus a `.prj` for a CRS that
 * nothing else names. Never throws for a side-car: what cannot be used is a warning.
 */
export function georeferenceWithSidecars(path: string, format: string, internal: Georeference | null, files: SidecarFiles = diskSidecarFiles): SidecarGeoreference {
  const warnings: string[] = []
  const pam = readPam(path, files, warnings)
  const world = (): GeoTransform | null => readWorldFile(path, format, files, warnings)
  const fromPam = (): GeoTransform | null => pam?.geoTransform ?? null
  const fromInternal = (): GeoTransform | null => internal?.geoTransform ?? null
  const order = format === 'tiff' ? [fromPam, fromInternal, world] : format === 'png' || format === 'gif' ? [fromInternal, world, fromPam] : [fromInternal, fromPam, world]
  let geoTransform: GeoTransform | null = null
  for (const source of order) {
    geoTransform = source()
    if (geoTransform) break
  }
  if (!geoTransform) return { georeference: null, warnings }

  let crs: CrsInfo | null | undefined = pam?.srs ? crsOf(pam.srs, 'aux-xml', `${path}.aux.xml`, warnings) : null
  if (!crs && internal && hasCrs(internal)) {
    if (geoTransform === internal.geoTransform) return { georeference: internal, warnings }
    crs = internal.crs
  }
  if (!crs && !(internal && hasCrs(internal))) crs = readPrj(path, files, warnings)
  const epsg = crs ? crs.epsg : (internal?.epsg ?? null)
  const georeference: Georeference = {
    geoTransform,
    rasterType: internal?.rasterType ?? 'area',
    epsg,
    ...(crs !== undefined ? { crs } : {}),
    rotated: geoTransform[2] !== 0 || geoTransform[4] !== 0
  }
  return { georeference, warnings }
}

/** True when the file's own georeferencing names a CRS Tessera can use. */
function hasCrs(georeference: Georeference): boolean {
  return georeference.epsg !== null || (georeference.crs != null && georeference.crs.proj4 !== null)
}

/** The CRS a side-car's definition describes; null, with a warning, when it describes none Tessera can use. */
function crsOf(definition: string, source: CrsSource, file: string, warnings: string[]): CrsInfo | null {
  try {
    const crs = crsFromDefinition(definition, source)
    if (crs.proj4 !== null || crs.epsg !== null) return crs
    warnings.push(`The CRS in ${file} was not understood ("${abbreviate(definition)}"): it was not used`)
  } catch (error) {
    warnings.push(`The CRS in ${file} could not be read: ${(error as Error).message}`)
  }
  return null
}

/** GDAL's PAM side-car `<path>.aux.xml` (its exact name, as GDAL looks for it); null when absent or unusable. */
function readPam(path: string, files: SidecarFiles, warnings: string[]): PamGeoreferencing | null {
  const file = `${path}.aux.xml`
  const content = readSidecar(file, AUX_XML_MAX_BYTES, files, warnings)
  if (content === null) return null
  const parsed = parsePamXml(content)
  if (!parsed.ok) {
    warnings.push(`${file} was not used: it is not GDAL's PAM XML (${parsed.reason})`)
    return null
  }
  for (const problem of parsed.problems) warnings.push(`${file}: ${problem}; it was not used`)
  return parsed
}

/** The first usable world file among GDAL's names for it; warnings for the unusable ones met before. */
function readWorldFile(path: string, format: string, files: SidecarFiles, warnings: string[]): GeoTransform | null {
  for (const extension of worldFileExtensions(path, format)) {
    for (const file of caseVariants(path, extension)) {
      const content = readSidecar(file, WORLD_FILE_READ_BYTES, files, warnings, true)
      if (content === null) continue
      const parsed = parseWorldFile(content)
      if (!parsed.ok) {
        warnings.push(`The world file ${file} was not used: ${parsed.reason}`)
        break
      }
      if (parsed.notes.length > 0) warnings.push(`The world file ${file} was read as GDAL reads it, but ${parsed.notes.join('; ')}`)
      return parsed.geoTransform
    }
  }
  return null
}

/** The CRS of `<stem>.prj` beside the file; null when there is none or it cannot be used. */
function readPrj(path: string, files: SidecarFiles, warnings: string[]): CrsInfo | null {
  for (const file of caseVariants(path, 'prj')) {
    const content = readSidecar(file, PRJ_MAX_BYTES, files, warnings)
    if (content === null) continue
    if (content.trim() === '') {
      warnings.push(`${file} is empty: no CRS was read from it`)
      return null
    }
    return crsOf(content.trim(), 'prj', file, warnings)
  }
  return null
}

/** The text of a side-car; null when absent, too large or unreadable (those two with a warning). */
function readSidecar(file: string, maxBytes: number, files: SidecarFiles, warnings: string[], truncate = false): string | null {
  try {
    const content = files.read(file, maxBytes)
    if (content === null) return null
    if (content.size > maxBytes && !truncate) {
      warnings.push(`${file} was not used: it has ${content.size} bytes, more than the ${maxBytes} a side-car may have`)
      return null
    }
    return content.text
  } catch (error) {
    warnings.push(`${file} could not be read: ${(error as Error).message}`)
    return null
  }
}

/**
 * `path` with its extension replaced by `extension` in lower then upper case (GDAL's
 * `CPLResetExtension`, and the two cases it tries on a case-sensitive file system).
 */
function caseVariants(path: string, extension: string): string[] {
  const current = extensionOf(path)
  const stem = current === '' ? path : path.slice(0, path.length - current.length - 1)
  return [...new Set([`${stem}.${extension.toLowerCase()}`, `${stem}.${extension.toUpperCase()}`])]
}

function abbreviate(text: string): string {
  const line = text.replace(/\s+/g, ' ')
  return line.length > 80 ? `${line.slice(0, 77)}…` : line
}

/** Side-cars on disk; a missing file (or a missing directory on its path) is null. */
export const diskSidecarFiles: SidecarFiles = {
  read(path, maxBytes) {
    let fd: number
    try {
      fd = openSync(path, 'r')
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      if (code === 'ENOENT' || code === 'ENOTDIR') return null
      throw error
    }
    try {
      const size = fstatSync(fd).size
      const buffer = Buffer.alloc(Math.min(size, maxBytes))
      let read = 0
      while (read < buffer.length) {
        const count = readSync(fd, buffer, read, buffer.length - read, read)
        if (count === 0) break
        read += count
      }
      return { text: buffer.toString('utf8', 0, read), size }
    } finally {
      closeSync(fd)
    }
  }
}
