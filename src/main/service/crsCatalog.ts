/**
 * The CRSs a person can give a layer by hand (Set CRS…, as QGIS's "Set layer CRS"): EPSG codes
 * searched by number or by name, and any definition described in full (an EPSG code, a PROJ string
 * or a WKT), its code identified when it is equivalent to one. The names come from the npm package
 * `epsg-index` (the EPSG registry's 8 000 CRS names, about 8 MB: read once, on the first search,
 * off the host's loop, and only their codes and names kept); the definitions from `proj4-list`
 * through the raster side's `crsFromDefinition`, so that a CRS set by hand is built exactly as one
 * read from a file.
 */
import { Worker } from 'node:worker_threads'
import proj4 from 'proj4'
import { createRequire } from 'node:module'
import type { CrsMatch } from '../../shared/calls'
import { TesseraError, messageOf } from '../../shared/errors'
import type { CrsInfo } from '../../shared/raster'
import { crsFromDefinition } from '../raster/crs'

/** Matches a search returns at most. */
export const MAX_CRS_MATCHES = 25

interface IndexEntry {
  code: number
  name: string
  /** The name in lower case, for matching. */
  key: string
}

let names: Promise<IndexEntry[]> | null = null

/**
 * Reads the registry's names in a thread of its own: parsing its 8 MB of JSON took 67 ms (more on
 * a loaded machine), a stall of every tile the host was streaming at the first Set CRS… search.
 * Only the codes and names come back (7 000 small records).
 */
const READ_NAMES = `
const { parentPort, workerData } = require('node:worker_threads')
const all = JSON.parse(require('node:fs').readFileSync(workerData, 'utf8'))
const entries = Object.values(all)
  .filter((e) => e.kind === 'CRS-PROJCRS' || e.kind === 'CRS-GEOGCRS')
  .map((e) => ({ code: Number(e.code), name: e.name, key: e.name.toLowerCase() }))
  .filter((e) => Number.isInteger(e.code))
  .sort((a, b) => a.code - b.code)
parentPort.postMessage(entries)
`

/** The EPSG registry's projected and geographic 2D CRSs, by code and name (loaded once). */
function crsNames(): Promise<IndexEntry[]> {
  names ??= new Promise<IndexEntry[]>((resolve, reject) => {
    const path = createRequire(import.meta.url).resolve('epsg-index/all.json')
    const worker = new Worker(READ_NAMES, { eval: true, workerData: path })
    worker.once('message', (entries: IndexEntry[]) => resolve(entries))
    worker.once('error', reject)
    worker.once('exit', (code) => reject(new Error(`reading the EPSG names ended with code ${code}`)))
  })
  names.catch(() => (names = null)) // a failed read may be retried
  return names
}

/**
 * EPSG CRSs matching `query`: a number matches codes starting with it (the exact code first);
 * words match names containing every one of them ("lambert 72", "georgia east ftus").
 */
export async function searchCrs(query: string): Promise<CrsMatch[]> {
  const text = query.trim().toLowerCase().replace(/^epsg:\s*/, '')
  if (text === '') return []
  const entries = await crsNames()
  let found: IndexEntry[]
  if (/^\d+$/.test(text)) {
    found = entries.filter((e) => String(e.code).startsWith(text)).sort((a, b) => (String(a.code) === text ? -1 : String(b.code) === text ? 1 : a.code - b.code))
  } else {
    const words = text.split(/\s+/)
    found = entries.filter((e) => words.every((w) => e.key.includes(w)))
  }
  return found.slice(0, MAX_CRS_MATCHES).map((e) => ({ epsg: e.code, name: e.name }))
}

/** The EPSG registry's name of `code`, or null. */
export async function epsgName(code: number): Promise<string | null> {
  const entries = await crsNames().catch(() => [])
  return entries.find((e) => e.code === code)?.name ?? null
}

/**
 * A CRS a person gave in full: `EPSG:<n>` (or the bare code), a PROJ string or a WKT, described as
 * a file's CRS is (definition, identified code, name), with the source 'manual'. Refuses what it
 * cannot read with a TesseraError naming it (code 'bad-message': the request, not the service, is
 * wrong).
 */
export async function describeCrs(definition: string): Promise<CrsInfo> {
  const text = definition.trim()
  const given = /^\d+$/.test(text) ? `EPSG:${text}` : text
  let crs: CrsInfo
  try {
    crs = crsFromDefinition(given, 'manual')
  } catch (error) {
    throw new TesseraError('bad-message', `Cannot use ${JSON.stringify(text.slice(0, 60))} as a CRS: ${messageOf(error)}`)
  }
  if (!crs.proj4) throw new TesseraError('bad-message', `Cannot use ${crs.name || given} as a CRS: Tessera has no definition of it`)
  try {
    proj4(crs.proj4, 'EPSG:4326') // what the renderer will do with it: a projection proj4js lacks is refused here, where it is said
  } catch (error) {
    throw new TesseraError('bad-message', `Cannot use ${JSON.stringify(text.slice(0, 60))} as a CRS: ${messageOf(error) || 'proj4js cannot take it'}`)
  }
  if (crs.epsg !== null && (crs.name === '' || crs.name === `EPSG:${crs.epsg}`)) {
    const name = await epsgName(crs.epsg)
    if (name) crs = { ...crs, name }
  }
  return crs
}
