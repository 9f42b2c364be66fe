/**
 * A WKT datum stated without a TOWGS84 (every ESRI `.prj`, and the OGC WKT1 GDAL 3 writes) read as
 * GDAL reads it: by its EPSG code (`DATUM[…, AUTHORITY["EPSG","6313"]]`) or, failing that, by its
 * name (`D_Belge_1972`, `Reseau_National_Belge_1972`, `BD72`), it is an EPSG datum, and its shift
 * to WGS 84 is the one proj4-list's definition of that datum's geographic CRS carries (EPSG:4313
 * for Belge 1972). Without it an ESRI `.prj` of Belgian Lambert 72 lands about 100 m from GDAL.
 */
import { epsgDefinition } from './epsgDefinitions'
import type { Ellipsoid } from './ellipsoids'

/** What a WKT datum adds to a definition: its shift to WGS 84 and, when proj4js names it, its `+datum=` name. */
export interface WktDatumShift {
  towgs84: number[] | null
  nadgrids: string | null
  /** proj4js' datum name ('WGS84', 'NAD83', 'OSGB36'…): a preference among codes that draw the same. */
  datum?: string
}

/** A name without case, spaces or punctuation, for matching WKT's many spellings. */
export const squashName = (name: string): string => name.toLowerCase().replace(/[^a-z0-9]/g, '')

/**
 * EPSG datums by their WKT names: OGC WKT1's (GDAL's spelling of the EPSG name), ESRI's (`D_`
 * dropped) and the short ones in use; each with the geographic CRS whose proj4-list definition
 * gives its shift. Names from `gdalsrsinfo -o wkt1` and `-o wkt_esri` of the geographic CRS.
 */
const DATUM_NAMES: readonly { datum: number; geographic: number; names: readonly string[] }[] = [
  { datum: 6326, geographic: 4326, names: ['WGS_1984', 'World_Geodetic_System_1984', 'World_Geodetic_System_1984_ensemble', 'WGS84'] },
  { datum: 6269, geographic: 4269, names: ['North_American_Datum_1983', 'North_American_1983', 'NAD83'] },
  { datum: 6152, geographic: 4152, names: ['NAD83_High_Accuracy_Reference_Network', 'North_American_1983_HARN', 'NAD83_HARN'] },
  { datum: 6267, geographic: 4267, names: ['North_American_Datum_1927', 'North_American_1927', 'NAD27'] },
  { datum: 6258, geographic: 4258, names: ['European_Terrestrial_Reference_System_1989', 'European_Terrestrial_Reference_System_1989_ensemble', 'ETRS_1989', 'ETRS89'] },
  { datum: 6230, geographic: 4230, names: ['European_Datum_1950', 'European_1950', 'ED50'] },
  { datum: 6277, geographic: 4277, names: ['Ordnance_Survey_of_Great_Britain_1936', 'OSGB_1936', 'OSGB36'] },
  { datum: 6289, geographic: 4289, names: ['Amersfoort'] },
  { datum: 6313, geographic: 4313, names: ['Reseau_National_Belge_1972', 'Belge_1972', 'BD72'] },
  { datum: 6171, geographic: 4171, names: ['Reseau_Geodesique_Francais_1993', 'Reseau_Geodesique_Francais_1993_v1', 'RGF_1993', 'RGF93'] },
  { datum: 6275, geographic: 4275, names: ['Nouvelle_Triangulation_Francaise', 'NTF'] },
  { datum: 6283, geographic: 4283, names: ['Geocentric_Datum_of_Australia_1994', 'GDA_1994', 'GDA94'] },
  { datum: 6202, geographic: 4202, names: ['Australian_Geodetic_Datum_1966', 'Australian_1966', 'AGD66'] },
  { datum: 6203, geographic: 4203, names: ['Australian_Geodetic_Datum_1984', 'Australian_1984', 'AGD84'] },
  { datum: 6167, geographic: 4167, names: ['New_Zealand_Geodetic_Datum_2000', 'NZGD_2000', 'NZGD2000'] },
  { datum: 6301, geographic: 4301, names: ['Tokyo'] },
  { datum: 6612, geographic: 4612, names: ['Japanese_Geodetic_Datum_2000', 'JGD_2000', 'JGD2000'] },
  { datum: 6284, geographic: 4284, names: ['Pulkovo_1942'] },
  { datum: 6322, geographic: 4322, names: ['World_Geodetic_System_1972', 'WGS_1972', 'WGS72'] },
  { datum: 6674, geographic: 4674, names: ['Sistema_de_Referencia_Geocentrico_para_las_AmericaS_2000', 'SIRGAS_2000'] },
  { datum: 6312, geographic: 4312, names: ['Militar-Geographische_Institut', 'MGI'] },
  { datum: 6314, geographic: 4314, names: ['Deutsches_Hauptdreiecksnetz', 'DHDN'] },
  { datum: 6618, geographic: 4618, names: ['South_American_Datum_1969', 'South_American_1969', 'SAD69'] }
]

const BY_NAME = new Map(DATUM_NAMES.flatMap((entry) => entry.names.map((name) => [squashName(name), entry] as const)))
const BY_CODE = new Map(DATUM_NAMES.map((entry) => [entry.datum, entry]))

/** Datum names (squashed) not in the table that coincide with WGS 84 at a proj4js scale: a zero shift. */
const ZERO_SHIFT_DATUMS = new Set([
  'nad83nsrs2007', 'northamerican1983nsrs2007', 'nad832011', 'northamerican19832011', 'jgd2011', 'japanesegeodeticdatum2011', 'gda2020', 'geocentricdatumofaustralia2020'
])

/** The EPSG geographic CRS of a WKT datum, by its EPSG code or else its name (`D_` dropped); null when Tessera does not know it. */
export function geographicCrsOfDatum(name: string, code: number | null): number | null {
  const entry = (code !== null ? BY_CODE.get(code) : undefined) ?? BY_NAME.get(squashName(name.replace(/^D_/i, '')))
  return entry?.geographic ?? null
}

/**
 * The shift to WGS 84 of a datum a WKT states without TOWGS84: that of proj4-list's definition of
 * its geographic CRS when the datum is known (and that CRS is on the same ellipsoid and needs no
 * grid file proj4js lacks), a zero shift for the few other datums that coincide with WGS 84, and
 * none otherwise (proj4js then draws it as WGS 84, as before).
 */
export function wktDatumShift(name: string, code: number | null, ellipsoid: Ellipsoid): WktDatumShift {
  const geographic = geographicCrsOfDatum(name, code)
  const known = geographic !== null ? epsgDefinition(geographic) : null
  const sameEllipsoid = known !== null && Math.abs(known.ellipsoid.a - ellipsoid.a) <= 1e-3 && Math.abs(known.ellipsoid.rf - ellipsoid.rf) <= 1e-8
  const gridsAtHand = known !== null && (known.nadgrids === null || known.nadgrids.split(',').every((grid) => grid.startsWith('@')))
  if (known && sameEllipsoid && gridsAtHand) {
    return { towgs84: known.towgs84, nadgrids: known.nadgrids, ...(known.datum !== undefined ? { datum: known.datum } : {}) }
  }
  if (ZERO_SHIFT_DATUMS.has(squashName(name.replace(/^D_/i, '')))) return { towgs84: [0, 0, 0], nadgrids: null }
  return { towgs84: null, nadgrids: null }
}
