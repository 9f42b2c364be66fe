/**
 * EPSG codes' PROJ definitions: EPSG:4326, EPSG:3857 and the WGS 84 / UTM zones follow from the
 * code; any other comes from the npm package `proj4-list` (5 400 codes as proj4js takes them, the
 * same list the renderer uses), loaded on first need (about 800 KB, once per worker) and parsed
 * into records once, indexed by projection method for identification (`identifyEpsg`).
 */
import { createRequire } from 'node:module'
import { type ProjDefinition, parseProjString } from './projDefinition'

let list: Record<string, [string, string] | undefined> | null = null

function definitionsList(): Record<string, [string, string] | undefined> {
  list ??= createRequire(import.meta.url)('proj4-list') as Record<string, [string, string] | undefined>
  return list
}

/** The PROJ string of EPSG:`code`, or null when Tessera does not know the code. */
export function epsgProjString(code: number): string | null {
  if (code === 4326) return '+proj=longlat +datum=WGS84 +no_defs'
  if (code === 3857) return '+proj=merc +a=6378137 +b=6378137 +lat_ts=0 +lon_0=0 +x_0=0 +y_0=0 +k=1 +units=m +nadgrids=@null +no_defs'
  const zone = code % 100
  if (zone >= 1 && zone <= 60 && (code - zone === 32600 || code - zone === 32700)) {
    return `+proj=utm +zone=${zone}${code >= 32700 ? ' +south' : ''} +datum=WGS84 +units=m +no_defs`
  }
  return definitionsList()[`EPSG:${code}`]?.[1]?.trim() ?? null
}

/** EPSG:`code`'s definition as a record, or null when unknown (or not one this module reads). */
export function epsgDefinition(code: number): ProjDefinition | null {
  const text = epsgProjString(code)
  if (!text) return null
  try {
    return parseProjString(text)
  } catch {
    return null
  }
}

/** An EPSG code with its definition. */
export interface EpsgEntry {
  code: number
  definition: ProjDefinition
}

/** PROJ methods as the list spells them, by the method of a record (a UTM zone is a 'tmerc'). */
const SPELLINGS: Record<string, string[]> = { tmerc: ['tmerc', 'utm', 'etmerc'], longlat: ['longlat', 'latlong'] }

const byMethod = new Map<string, EpsgEntry[]>()

/**
 * The codes of one projection method (lowest first), parsed on first need and kept for the
 * worker's life; compound CRSs (with a vertical part) are left out: a raster's CRS is horizontal.
 */
export function epsgCodesOfMethod(method: string): readonly EpsgEntry[] {
  const known = byMethod.get(method)
  if (known) return known
  const spellings = (SPELLINGS[method] ?? [method]).map((name) => `+proj=${name} `)
  const entries: EpsgEntry[] = []
  for (const [key, value] of Object.entries(definitionsList())) {
    const text = value?.[1]
    if (!text || !spellings.some((s) => text.startsWith(s) || text.includes(` ${s}`)) || /\+(vunits|geoidgrids)=/.test(text)) continue
    const code = Number(key.slice(5))
    const definition = Number.isInteger(code) ? epsgDefinition(code) : null
    if (definition?.method === method) entries.push({ code, definition })
  }
  if (method === 'tmerc') {
    for (let zone = 1; zone <= 60; zone++) for (const code of [32600 + zone, 32700 + zone]) entries.push({ code, definition: epsgDefinition(code)! })
  }
  const unique = [...new Map(entries.map((e) => [e.code, e])).values()].sort((x, y) => x.code - y.code)
  byMethod.set(method, unique)
  return unique
}
