/**
 * The text formats of georeferencing side-cars, parsed as GDAL parses them (pure functions, no
 * file access): an ESRI world file (`.tfw`, `.jgw`, `.pgw`, `.wld`…) and GDAL's PAM `.aux.xml`
 * (its `<SRS>` and `<GeoTransform>`). Which files are looked for, and which wins, is `sidecars.ts`.
 */
import type { GeoTransform } from '../../../shared/raster'

/** GDAL loads a world file with `CSLLoad2(path, 100, 100)`: the first 100 lines, each shorter than 100 characters. */
export const WORLD_FILE_MAX_LINES = 100
export const WORLD_FILE_MAX_LINE_LENGTH = 100

export type WorldFileParse =
  | { ok: true; geoTransform: GeoTransform; /** Lines GDAL reads only in part (trailing text) or as 0 (no number). */ notes: string[] }
  | { ok: false; reason: string }

/**
 * The geotransform of a world file, exactly as GDAL's `GDALLoadWorldFile` reads it: the first six
 * non-blank lines are A, D, B, E, C, F (C, F the centre of the top-left pixel), each read by
 * `CPLAtofM` (its leading number; a comma before any point is the decimal mark; no number reads 0).
 * Refused as GDAL refuses it: fewer than six values, a line of 100 characters or more, or a
 * degenerate matrix (A and B both 0, or D and E both 0).
 */
export function parseWorldFile(text: string): WorldFileParse {
  const lines = text.split(/\r\n|\r|\n/).slice(0, WORLD_FILE_MAX_LINES)
  const long = lines.findIndex((line) => line.length >= WORLD_FILE_MAX_LINE_LENGTH)
  if (long >= 0) return { ok: false, reason: `line ${long + 1} has ${lines[long]!.length} characters (GDAL reads lines of fewer than ${WORLD_FILE_MAX_LINE_LENGTH})` }
  const values: number[] = []
  const notes: string[] = []
  for (let index = 0; index < lines.length && values.length < 6; index++) {
    const line = lines[index]!.trim()
    if (line === '') continue
    const { value, rest } = leadingNumber(line)
    if (rest === line) notes.push(`line ${index + 1} "${line}" is not a number (read as 0, as GDAL does)`)
    else if (rest.trim() !== '') notes.push(`line ${index + 1} "${line}" has text after its number (read as ${value}, as GDAL does)`)
    values.push(value)
  }
  if (values.length < 6) return { ok: false, reason: `it has ${values.length} values where a world file has 6 (A, D, B, E, C, F)` }
  const [a, d, b, e, c, f] = values as [number, number, number, number, number, number]
  if (a === 0 && b === 0) return { ok: false, reason: `its pixel width is zero (A = ${a}, B = ${b})${notesSuffix(notes)}` }
  if (d === 0 && e === 0) return { ok: false, reason: `its pixel height is zero (D = ${d}, E = ${e})${notesSuffix(notes)}` }
  return { ok: true, geoTransform: [c - a / 2 - b / 2, a, b, f - d / 2 - e / 2, d, e], notes }
}

function notesSuffix(notes: string[]): string {
  return notes.length > 0 ? `: ${notes.join('; ')}` : ''
}

/**
 * GDAL's `CPLAtofM`: the number at the start of `text`, with '.' as the decimal mark unless a ','
 * comes first (within 50 characters); 0 when the text does not start with one. `rest` is what
 * follows the number (the whole text when there is none).
 */
export function leadingNumber(text: string): { value: number; rest: string } {
  const head = text.slice(0, 50)
  const comma = head.indexOf(',')
  const point = head.indexOf('.')
  const mark = comma >= 0 && (point < 0 || comma < point) ? ',' : '.'
  const decimal = mark === ',' ? ',' : '\\.'
  const pattern = new RegExp(`^\\s*[+-]?(?:\\d+(?:${decimal}\\d*)?|${decimal}\\d+)(?:[eE][+-]?\\d+)?`)
  const match = pattern.exec(text)
  if (!match) return { value: 0, rest: text }
  return { value: Number(match[0].trim().replace(mark, '.')), rest: text.slice(match[0].length) }
}

/** What GDAL's PAM side-car says of the dataset's georeferencing. */
export interface PamGeoreferencing {
  /** The text of `<SRS>` (WKT, or anything `SetFromUserInput` takes), entities decoded; null when absent or empty. */
  srs: string | null
  /** `<SRS dataAxisToSRSAxisMapping="2,1">`: how GDAL maps the data's axes to the CRS's (GDAL 3); null when absent. */
  axisMapping: number[] | null
  /** `<GeoTransform>`: six comma-separated numbers; null when absent or unreadable. */
  geoTransform: GeoTransform | null
  /** What was present but could not be used (said to the person, not fatal). */
  problems: string[]
}

export type PamParse = ({ ok: true } & PamGeoreferencing) | { ok: false; reason: string }

/**
 * The `<SRS>` and `<GeoTransform>` children of the root `<PAMDataset>` of GDAL's `.aux.xml`, read
 * as GDAL's `GDALPamDataset::XMLInit` reads them (a GeoTransform of other than six values is
 * ignored with a warning). Elements of bands and other children are skipped. Refused when the text
 * is not well-formed XML with a `<PAMDataset>` root.
 */
export function parsePamXml(text: string): PamParse {
  const elements = topLevelElements(text)
  if ('error' in elements) return { ok: false, reason: elements.error }
  const problems: string[] = []
  const srsElement = elements.children.find((child) => child.name === 'SRS')
  const srsText = srsElement ? decodeEntities(srsElement.text).trim() : ''
  const mappingAttribute = srsElement?.attributes.dataAxisToSRSAxisMapping
  let axisMapping: number[] | null = null
  if (mappingAttribute !== undefined) {
    axisMapping = mappingAttribute.split(',').map((part) => Number(part.trim()))
    if (axisMapping.some((axis) => !Number.isInteger(axis))) {
      problems.push(`its SRS's dataAxisToSRSAxisMapping "${mappingAttribute}" is not a list of axis numbers`)
      axisMapping = null
    }
  }
  let geoTransform: GeoTransform | null = null
  const gtElement = elements.children.find((child) => child.name === 'GeoTransform')
  if (gtElement) {
    const tokens = decodeEntities(gtElement.text).split(',').map((token) => token.trim()).filter((token) => token !== '')
    const values = tokens.map((token) => Number(token))
    if (values.length !== 6) problems.push(`its GeoTransform has ${values.length} values where GDAL needs 6`)
    else if (values.some((value) => !Number.isFinite(value))) problems.push(`its GeoTransform "${gtElement.text.trim()}" is not six numbers`)
    else geoTransform = values as GeoTransform
  }
  return { ok: true, srs: srsText === '' ? null : srsText, axisMapping, geoTransform, problems }
}

interface XmlElement {
  name: string
  attributes: Record<string, string>
  /** Its text content with child markup removed (entities still encoded). */
  text: string
}

/** The children of the root element, checked to be `<PAMDataset>` and the document well nested. */
function topLevelElements(text: string): { children: XmlElement[] } | { error: string } {
  const tag = /<!--[\s\S]*?-->|<!\[CDATA\[([\s\S]*?)\]\]>|<\?[\s\S]*?\?>|<!DOCTYPE[^>]*>|<(\/?)([A-Za-z_][\w.:-]*)((?:\s+[\w.:-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>|</g
  const stack: { name: string; attributes: Record<string, string>; text: string }[] = []
  const children: XmlElement[] = []
  let root: string | null = null
  let last = 0
  let match: RegExpExecArray | null
  while ((match = tag.exec(text)) !== null) {
    const between = text.slice(last, match.index)
    last = tag.lastIndex
    const top = stack.at(-1)
    if (top) top.text += between
    else if (between.trim() !== '') return { error: 'it has text outside its root element' }
    const [whole, cdata, closing, name, attributeText, selfClosing] = match
    if (whole.startsWith('<!--') || whole.startsWith('<?') || whole.startsWith('<!DOCTYPE')) continue
    if (cdata !== undefined) {
      if (!top) return { error: 'it has text outside its root element' }
      top.text += escapeText(cdata)
      continue
    }
    if (!name) return { error: `it has a stray "<" at character ${match.index}` }
    if (closing) {
      const open = stack.pop()
      if (!open || open.name !== name) return { error: `its </${name}> at character ${match.index} closes ${open ? `<${open.name}>` : 'nothing'}` }
      if (stack.length === 1) children.push({ name: open.name, attributes: open.attributes, text: open.text })
      else if (stack.length > 1) stack.at(-1)!.text += open.text
      continue
    }
    if (stack.length === 0) {
      if (root !== null) return { error: 'it has more than one root element' }
      root = name
    }
    const attributes = attributesOf(attributeText ?? '')
    if (selfClosing) {
      if (stack.length === 1) children.push({ name, attributes, text: '' })
      else if (stack.length === 0) return root === 'PAMDataset' ? { children } : { error: `its root element is <${root}>, not <PAMDataset>` }
    } else {
      stack.push({ name, attributes, text: '' })
    }
  }
  if (stack.length > 0) return { error: `its <${stack.at(-1)!.name}> is never closed (the file is cut short?)` }
  if (text.slice(last).trim() !== '') return { error: 'it has text outside its root element' }
  if (root === null) return { error: 'it has no XML element' }
  if (root !== 'PAMDataset') return { error: `its root element is <${root}>, not <PAMDataset>` }
  return { children }
}

function attributesOf(text: string): Record<string, string> {
  const attributes: Record<string, string> = {}
  for (const [, name, double, single] of text.matchAll(/([\w.:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
    attributes[name!] = decodeEntities(double ?? single ?? '')
  }
  return attributes
}

const NAMED_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" }

/** XML's five named entities and numeric character references. */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);/g, (whole, entity: string) => {
    if (entity.startsWith('#x')) return String.fromCodePoint(Number.parseInt(entity.slice(2), 16))
    if (entity.startsWith('#')) return String.fromCodePoint(Number.parseInt(entity.slice(1), 10))
    return NAMED_ENTITIES[entity] ?? whole
  })
}

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;')
}

/**
 * The extensions GDAL tries for the world file of `path`, in its order (`GDALReadWorldFile2` with
 * no extension, then the driver's extras): the first and last letters of the image's extension
 * plus 'w' (`.tfw`, `.jgw`, `.pgw`), the extension plus 'w' (`.tifw`, `.jpgw`, `.pngw`), JPEG's
 * `.jpw`, then `.wld`. Matched without regard to case, as GDAL does among a file's siblings.
 */
export function worldFileExtensions(path: string, format: string): string[] {
  const extension = extensionOf(path)
  const derived = extension.length >= 2 ? [`${extension[0]}${extension.at(-1)}w`, `${extension}w`] : []
  const extras = format === 'jpeg' ? ['jpw'] : []
  return [...new Set([...derived, ...extras, 'wld'].map((name) => name.toLowerCase()))]
}

/** The extension of the file name in `path`, without its dot ('' when none). */
export function extensionOf(path: string): string {
  const name = path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1)
  const dot = name.lastIndexOf('.')
  return dot > 0 ? name.slice(dot + 1) : ''
}
