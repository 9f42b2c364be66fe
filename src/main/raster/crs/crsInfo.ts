/**
 * From a definition record to the shared contract's `CrsInfo`: the EPSG code named or identified,
 * the normalised PROJ string, a name for people and the id that makes two spellings one CRS.
 */
import type { CrsInfo, CrsSource } from '../../../shared/raster'
import { ELLIPSOIDS } from './ellipsoids'
import { shortHash } from './hash'
import { identifyEpsg } from './identify'
import { type ProjDefinition, formatProjString } from './projDefinition'

/** Method names for people, by PROJ method. */
const METHOD_NAMES: Record<string, string> = {
  longlat: 'Geographic',
  tmerc: 'Transverse Mercator',
  lcc: 'Lambert Conformal Conic',
  aea: 'Albers Equal Area',
  eqdc: 'Equidistant Conic',
  stere: 'Stereographic',
  sterea: 'Oblique Stereographic',
  merc: 'Mercator',
  cea: 'Cylindrical Equal Area',
  laea: 'Lambert Azimuthal Equal Area',
  krovak: 'Krovak',
  omerc: 'Oblique Mercator',
  somerc: 'Swiss Oblique Mercator',
  cass: 'Cassini-Soldner',
  poly: 'Polyconic',
  eqc: 'Equirectangular',
  aeqd: 'Azimuthal Equidistant'
}

/** "Transverse Mercator on GRS 1980": the name of a definition that has no other. */
export function describeDefinition(definition: ProjDefinition): string {
  const method = METHOD_NAMES[definition.method] ?? definition.method
  const { a, rf } = definition.ellipsoid
  const ellipsoid = [...ELLIPSOIDS.values()].find((e) => Math.abs(e.a - a) < 1e-4 && Math.abs(e.rf - rf) < 1e-8)?.name
  return `${method} on ${ellipsoid ?? (rf === 0 ? `a sphere of radius ${a} m` : `an ellipsoid a=${a} m, 1/f=${rf}`)}`
}

/** What is known of a CRS beside its definition. */
export interface CrsFacts {
  source: CrsSource
  /** Its name as the file gives it (a citation, the WKT's), if any. */
  name?: string | null
  /** The EPSG code the file names for exactly this definition, if any: trusted, not identified again. */
  epsg?: number | null
}

/**
 * The `CrsInfo` of a definition: its EPSG code (the one named, else identified: `identifyEpsg`),
 * id `EPSG:<n>` or `CUSTOM:<hash of the normalised PROJ string>`, the normalised PROJ string, and
 * its name (given, else "EPSG:<n>", else "<method> on <ellipsoid>").
 */
export function crsInfoOf(definition: ProjDefinition, facts: CrsFacts): CrsInfo {
  const proj4 = formatProjString(definition)
  const epsg = facts.epsg ?? identifyEpsg(definition)
  const name = facts.name?.trim() || (epsg !== null ? `EPSG:${epsg}` : describeDefinition(definition))
  return { id: epsg !== null ? `EPSG:${epsg}` : `CUSTOM:${shortHash(proj4)}`, epsg, proj4, name, source: facts.source }
}

/** A CRS known by its EPSG code alone, whose definition Tessera lacks: named, placed nowhere. */
export function undefinedEpsgCrs(epsg: number, source: CrsSource, name?: string | null): CrsInfo {
  return { id: `EPSG:${epsg}`, epsg, proj4: null, name: name?.trim() || `EPSG:${epsg}`, source }
}
