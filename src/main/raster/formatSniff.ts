/**
 * What a file that Tessera does not read is, from its first bytes (and its name where the bytes
 * leave it open), and what to do with it (issue 22: NetCDF, R's `.grd` and a text file renamed
 * `.tif` were all "not a supported image"). Pure: the caller reads the bytes and looks beside the
 * file. The table is in the order it is tried: a more specific signature before a general one
 * (GeoPackage before SQLite, NetCDF-4 before HDF5, KML before XML, XML before text).
 */
import { basename, extname } from 'node:path'

/** Bytes read from the start of a file for `sniffFormat`: enough for every signature of the table and a line of text. */
export const SNIFF_BYTES = 4096

/** What the caller knows of a file besides its first bytes. */
export interface SniffInput {
  /** The first bytes of the file (up to `SNIFF_BYTES`; fewer when the file is shorter). */
  head: Uint8Array
  /** The file as the person gave it (a path or a dropped file's name): its name and extension are read, and the commands name it. */
  name: string
  /** Whether a file of this name, with another extension, lies beside it (an R raster's `.gri`, an ENVI `.hdr`); absent: not known. */
  hasSibling?: (extension: string) => boolean
  /** The first bytes of a side-car text file beside it (an ENVI `.hdr`), or null when there is none. */
  siblingHead?: (extension: string) => Uint8Array | null
}

/** A format recognised, in words a person reads. */
export interface SniffedFormat {
  /** Stable id, for programs and tests ('netcdf', 'text'…). */
  id: string
  /** What the file is, as a noun phrase: "a NetCDF file (classic format)". */
  what: string
  /** What to do, as a sentence, with the exact command where one helps. */
  advice: string
}

interface FormatRule {
  id: string
  /** The format's description and advice for this file, or null when the file is not of this format. */
  detect(file: FileView): Omit<SniffedFormat, 'id'> | null
}

/** The input, with the helpers the rules share. */
interface FileView extends SniffInput {
  ext: string
  /** The name without its directory, quoted for a shell command when it needs it. */
  quoted: string
  /** The name with the extension changed to `.tif` (`-converted.tif` for a name that ends in .tif already), quoted likewise. */
  tif: string
  startsWith(signature: string | readonly number[], at?: number): boolean
  text: string | null
}

const GDAL_TRANSLATE = (file: FileView, source = file.quoted): string => `convert it to a GeoTIFF with GDAL: gdal_translate ${source} ${file.tif}`

/** Every format recognised, most specific first. */
export const FORMAT_RULES: readonly FormatRule[] = [
  {
    id: 'netcdf',
    detect: (f) => {
      const version = f.startsWith('CDF') ? f.head[3] : undefined
      if (version !== 1 && version !== 2 && version !== 5) return null
      const kind = version === 1 ? 'classic format' : version === 2 ? '64-bit offset format' : 'CDF-5 format'
      return {
        what: `a NetCDF file (${kind}), not an image`,
        advice: `Its variables are listed by \`gdalinfo ${f.quoted}\`; convert one to a GeoTIFF with GDAL: gdal_translate NETCDF:${dq(f.name)}:<variable> ${f.tif}`
      }
    }
  },
  {
    id: 'hdf5',
    detect: (f) => {
      if (!f.startsWith([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]) && !f.startsWith([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a], 512)) return null
      const netcdf = ['.nc', '.nc4', '.cdf', '.netcdf'].includes(f.ext) || latin1(f.head).includes('_NCProperties')
      if (netcdf) {
        return {
          what: 'a NetCDF-4 file (HDF5), not an image',
          advice: `Its variables are listed by \`gdalinfo ${f.quoted}\`; convert one to a GeoTIFF with GDAL: gdal_translate NETCDF:${dq(f.name)}:<variable> ${f.tif}`
        }
      }
      return {
        what: 'an HDF5 file, not an image',
        advice: `Its datasets are listed by \`gdalinfo ${f.quoted}\`; convert one to a GeoTIFF with GDAL: gdal_translate HDF5:${dq(f.name)}://<dataset> ${f.tif}`
      }
    }
  },
  {
    id: 'hdf4',
    detect: (f) =>
      f.startsWith([0x0e, 0x03, 0x13, 0x01])
        ? { what: 'an HDF4 file, not an image', advice: `Its datasets are listed by \`gdalinfo ${f.quoted}\`; convert one to a GeoTIFF with GDAL: gdal_translate <subdataset named by gdalinfo> ${f.tif}` }
        : null
  },
  {
    id: 'grib',
    detect: (f) => (f.startsWith('GRIB') ? { what: 'a GRIB file (weather data), not an image', advice: `${capital(GDAL_TRANSLATE(f))} (one band per field; -b N picks one)` } : null)
  },
  {
    id: 'r-raster',
    detect: (f) => {
      const text = f.text
      if (!text || !/^\s*\[general\]/i.test(text) || !/\[georeference\]/i.test(text) || !/\[data\]/i.test(text)) return null
      const gri = f.hasSibling?.('.gri')
      const what = "an R raster header (.grd, from R's raster package), not an image"
      if (gri === false) return { what, advice: `Its pixels are in a .gri file of the same name, which is not beside it: put ${basename(f.name, f.ext)}.gri beside it, then convert it to a GeoTIFF with GDAL: gdal_translate ${f.quoted} ${f.tif}` }
      return { what, advice: `Its pixels are in the .gri file beside it; ${GDAL_TRANSLATE(f)}` }
    }
  },
  {
    id: 'surfer-grid',
    detect: (f) => {
      const kind = f.startsWith('DSAA') ? 'text' : f.startsWith('DSBB') ? 'binary' : f.startsWith('DSRB') ? 'Surfer 7' : null
      return kind ? { what: `a Golden Software Surfer grid (${kind}), not an image`, advice: capital(GDAL_TRANSLATE(f)) } : null
    }
  },
  {
    id: 'envi',
    detect: (f) => {
      if (f.text !== null && /^ENVI\b/.test(f.text)) {
        return { what: 'an ENVI header (.hdr), not an image', advice: `Its pixels are in the data file of the same name beside it; convert that to a GeoTIFF with GDAL (it reads this header): gdal_translate <data file> ${f.tif}` }
      }
      const header = f.siblingHead?.('.hdr')
      if (header && latin1(header).startsWith('ENVI')) {
        return { what: 'an ENVI raster (raw pixels described by the .hdr beside it), not an image Tessera reads', advice: capital(GDAL_TRANSLATE(f)) }
      }
      return null
    }
  },
  {
    id: 'erdas-imagine',
    detect: (f) => (f.startsWith('EHFA_HEADER_TAG') ? { what: 'an ERDAS IMAGINE file (.img), not an image Tessera reads', advice: capital(GDAL_TRANSLATE(f)) } : null)
  },
  {
    id: 'jpeg2000',
    detect: (f) =>
      f.startsWith([0x00, 0x00, 0x00, 0x0c, 0x6a, 0x50, 0x20, 0x20, 0x0d, 0x0a, 0x87, 0x0a]) || f.startsWith([0xff, 0x4f, 0xff, 0x51])
        ? { what: 'a JPEG 2000 image, a format Tessera does not read', advice: capital(GDAL_TRANSLATE(f)) }
        : null
  },
  {
    id: 'mrsid',
    detect: (f) =>
      f.startsWith('msid')
        ? { what: 'a MrSID image, a proprietary format Tessera does not read', advice: `Convert it to a GeoTIFF with a GDAL built with the MrSID SDK (QGIS includes one): gdal_translate ${f.quoted} ${f.tif}` }
        : null
  },
  {
    id: 'ecw',
    // GDAL identifies ECW by its extension too: the format has no published signature.
    detect: (f) =>
      f.ext === '.ecw'
        ? { what: 'an ECW image, a proprietary format Tessera does not read', advice: `Convert it to a GeoTIFF with a GDAL built with the ECW SDK (QGIS includes one): gdal_translate ${f.quoted} ${f.tif}` }
        : null
  },
  {
    id: 'shapefile',
    detect: (f) =>
      f.startsWith([0x00, 0x00, 0x27, 0x0a])
        ? { what: 'an ESRI shapefile (.shp): vector features, not pixels', advice: `Open it in a GIS (QGIS), or burn it into a raster with GDAL: gdal_rasterize -burn 1 -tr <cell size> <cell size> ${f.quoted} ${f.tif}` }
        : null
  },
  {
    id: 'geopackage',
    detect: (f) =>
      f.startsWith('SQLite format 3\0') && (f.startsWith('GPKG', 68) || f.startsWith('GP10', 68) || f.startsWith('GP11', 68) || f.ext === '.gpkg')
        ? { what: 'a GeoPackage (a SQLite database of layers), not an image', advice: `If it holds raster tiles, ${GDAL_TRANSLATE(f)} (add -oo TABLE=<table> for one of several)` }
        : null
  },
  {
    id: 'sqlite',
    detect: (f) => (f.startsWith('SQLite format 3\0') ? { what: 'a SQLite database, not an image', advice: 'Export the raster it holds to a GeoTIFF with the program that made it.' } : null)
  },
  {
    id: 'pdf',
    detect: (f) => (f.startsWith('%PDF') ? { what: 'a PDF document, not an image', advice: `If it is a geospatial PDF, ${GDAL_TRANSLATE(f)}; otherwise export its page as a PNG.` } : null)
  },
  {
    id: 'zip',
    detect: (f) =>
      f.startsWith([0x50, 0x4b, 0x03, 0x04]) || f.startsWith([0x50, 0x4b, 0x05, 0x06])
        ? { what: f.ext === '.kmz' ? 'a KMZ (zipped KML), not an image' : 'a ZIP archive, not an image', advice: 'Unzip it and open the raster inside.' }
        : null
  },
  {
    id: 'gzip',
    detect: (f) => (f.startsWith([0x1f, 0x8b]) ? { what: 'a gzip-compressed file, not an image', advice: 'Decompress it (gunzip) and open the file inside.' } : null)
  },
  { id: 'kml', detect: (f) => (f.text !== null && /^\s*(<\?xml[^>]*>\s*)?<kml\b/i.test(f.text) ? { what: 'a KML document (vector features), not an image', advice: 'Open it in a GIS (QGIS) or Google Earth.' } : null) },
  {
    id: 'html',
    detect: (f) =>
      f.text !== null && /^\s*(<!doctype html|<html\b)/i.test(f.text)
        ? { what: 'an HTML web page, not an image', advice: 'A download that failed often saves the error page under the file’s name: download the file again.' }
        : null
  },
  {
    id: 'xml',
    detect: (f) => (f.text !== null && /^\s*<\?xml\b|^\s*<[A-Za-z]/.test(f.text) ? { what: `an XML document${rootElement(f.text)}, not an image`, advice: 'Open the raster it describes, not the XML.' } : null)
  },
  {
    id: 'json',
    detect: (f) => {
      if (f.text === null || !/^\s*[{[]/.test(f.text)) return null
      const geo = /"type"\s*:\s*"(FeatureCollection|Feature)"/.test(f.text)
      return geo
        ? { what: 'a GeoJSON file (vector features), not an image', advice: `Open it in a GIS (QGIS), or burn it into a raster with GDAL: gdal_rasterize -burn 1 -tr <cell size> <cell size> ${f.quoted} ${f.tif}` }
        : { what: 'a JSON file, not an image', advice: 'Open the raster it describes, not the JSON.' }
    }
  },
  {
    id: 'csv',
    detect: (f) =>
      f.text !== null && looksLikeTable(f.text)
        ? { what: `a text table (CSV)${firstLine(f.text)}, not an image`, advice: `If its rows are x, y, value points, grid them with GDAL: gdal_grid -zfield <value column> ${f.quoted} ${f.tif} (with a .vrt naming its columns)` }
        : null
  },
  {
    id: 'text',
    detect: (f) => (f.text !== null ? { what: `a text file${firstLine(f.text)}, not an image`, advice: 'Open the raster itself.' } : null)
  }
]

/** The format of a file Tessera does not read, from its first bytes, or null when none of the table matches. */
export function sniffFormat(input: SniffInput): SniffedFormat | null {
  const name = basename(input.name)
  const ext = extname(name).toLowerCase()
  const view: FileView = {
    ...input,
    ext,
    quoted: shellQuote(name),
    // The output of a suggested conversion: never the input itself (a text file named x.tif gives x-converted.tif).
    tif: shellQuote(`${basename(name, extname(name))}${/^\.tiff?$/i.test(extname(name)) ? '-converted' : ''}.tif`),
    startsWith: (signature, at = 0) => {
      const bytes = typeof signature === 'string' ? Array.from(signature, (c) => c.charCodeAt(0)) : signature
      if (input.head.length < at + bytes.length) return false
      return bytes.every((byte, i) => input.head[at + i] === byte)
    },
    text: textOf(input.head)
  }
  for (const rule of FORMAT_RULES) {
    const found = rule.detect(view)
    if (found) return { id: rule.id, ...found }
  }
  return null
}

/**
 * The reason a person reads for a file of a sniffed format, with what its name says when the two
 * disagree: "it is a text file …, not an image (its name ends in .tif). Open the raster itself."
 */
export function sniffedReason(format: SniffedFormat, name: string): string {
  const ext = extname(name).toLowerCase()
  const named = IMAGE_EXTENSIONS.has(ext) ? ` (its name ends in ${ext}, but its content is not a ${IMAGE_EXTENSIONS.get(ext)})` : ''
  return `it is ${format.what}${named}. ${format.advice}`
}

/** Extensions of the image formats a renamed file may pretend to be, and the format's name. */
const IMAGE_EXTENSIONS = new Map([
  ['.tif', 'TIFF'],
  ['.tiff', 'TIFF'],
  ['.png', 'PNG'],
  ['.jpg', 'JPEG'],
  ['.jpeg', 'JPEG'],
  ['.webp', 'WebP'],
  ['.gif', 'GIF']
])

/** The head as text when it is text (UTF-8, no NUL, few control characters), else null. */
function textOf(head: Uint8Array): string | null {
  if (head.length === 0) return null
  let text: string
  try {
    // A multi-byte character cut at the end of the head is not a reason to call it binary.
    text = new TextDecoder('utf-8', { fatal: true }).decode(head.subarray(0, trimPartialUtf8(head)))
  } catch {
    return null
  }
  let control = 0
  for (const char of text) {
    const code = char.charCodeAt(0)
    if (code === 0) return null
    if (code < 32 && char !== '\n' && char !== '\r' && char !== '\t' && char !== '\f') control++
  }
  return control <= text.length / 100 ? text.replace(/^\uFEFF/, '') : null
}

/** Length of `head` without a UTF-8 sequence cut short at its end. */
function trimPartialUtf8(head: Uint8Array): number {
  let end = head.length
  for (let back = 1; back <= 3 && end - back >= 0; back++) {
    const byte = head[end - back]!
    if ((byte & 0xc0) === 0x80) continue // a continuation byte: look further back
    const needed = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1
    return needed > back ? end - back : end
  }
  return end
}

/** Lines separated by the same count (≥ 1) of commas, semicolons or tabs. */
function looksLikeTable(text: string): boolean {
  const lines = text.split(/\r?\n/).slice(0, 20).filter((line) => line.trim() !== '')
  if (lines.length < 2) return false
  const complete = lines.slice(0, -1) // the last may be cut by the end of the head
  return [',', ';', '\t'].some((separator) => {
    const counts = complete.map((line) => line.split(separator).length - 1)
    return counts[0]! >= 1 && counts.every((count) => count === counts[0])
  })
}

/** ' (first line: "…")', cut to 60 characters, or nothing for an empty first line. */
function firstLine(text: string): string {
  const line = text.split(/\r?\n/).find((l) => l.trim() !== '')?.trim() ?? ''
  if (!line) return ''
  return ` (first line: ${JSON.stringify(line.length > 60 ? `${line.slice(0, 57)}...` : line)})`
}

/** ' (root element <name>)' of an XML document, when its first element is found. */
function rootElement(text: string): string {
  const match = /<(?![?!])([A-Za-z_][\w.:-]*)/.exec(text)
  return match ? ` (root element <${match[1]}>)` : ''
}

function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1')
}

function capital(sentence: string): string {
  return sentence.charAt(0).toUpperCase() + sentence.slice(1)
}

/** `"name"`, as GDAL's subdataset syntax writes a file name. */
function dq(name: string): string {
  return `"${basename(name).replace(/(["\\$`])/g, '\\$1')}"`
}

/** The name as a POSIX shell reads it: bare when it is plain, else in single quotes. */
export function shellQuote(name: string): string {
  return /^[\w@%+=:,./-]+$/.test(name) ? name : `'${name.replace(/'/g, `'\\''`)}'`
}
