/**
 * Ellipsoids, datums, prime meridians and units by EPSG code: the tables a GeoTIFF's keys refer
 * to (GeogEllipsoidGeoKey, GeogGeodeticDatumGeoKey, GeogPrimeMeridianGeoKey, the unit keys), with
 * the PROJ names proj4js knows them by. Values are the EPSG dataset's; a datum's shift to WGS 84 is
 * the one proj4-list (and PROJ's former defaults) carry for it, used only when the file gives none.
 */

/** An ellipsoid: semi-major axis in metres and inverse flattening (0 for a sphere). */
export interface Ellipsoid {
  a: number
  rf: number
}

interface NamedEllipsoid extends Ellipsoid {
  /** PROJ's `+ellps=` name (proj4js knows them all), or null when it has none. */
  proj: string | null
  name: string
}

const fromB = (a: number, b: number): number => a / (a - b)

/** Ellipsoids by EPSG code (GeogEllipsoidGeoKey). */
export const ELLIPSOIDS: ReadonlyMap<number, NamedEllipsoid> = new Map([
  [7001, { proj: 'airy', name: 'Airy 1830', a: 6377563.396, rf: 299.3249646 }],
  [7002, { proj: 'mod_airy', name: 'Airy Modified 1849', a: 6377340.189, rf: 299.3249646 }],
  [7003, { proj: 'aust_SA', name: 'Australian National Spheroid', a: 6378160, rf: 298.25 }],
  [7004, { proj: 'bessel', name: 'Bessel 1841', a: 6377397.155, rf: 299.1528128 }],
  [7006, { proj: 'bess_nam', name: 'Bessel Namibia', a: 6377483.865, rf: 299.1528128 }],
  [7008, { proj: 'clrk66', name: 'Clarke 1866', a: 6378206.4, rf: fromB(6378206.4, 6356583.8) }],
  [7011, { proj: 'clrk80ign', name: 'Clarke 1880 (IGN)', a: 6378249.2, rf: fromB(6378249.2, 6356515) }],
  [7012, { proj: 'clrk80', name: 'Clarke 1880 (RGS)', a: 6378249.145, rf: 293.465 }],
  [7015, { proj: 'evrst30', name: 'Everest 1830 (1937 Adjustment)', a: 6377276.345, rf: 300.8017 }],
  [7019, { proj: 'GRS80', name: 'GRS 1980', a: 6378137, rf: 298.257222101 }],
  [7020, { proj: 'helmert', name: 'Helmert 1906', a: 6378200, rf: 298.3 }],
  [7022, { proj: 'intl', name: 'International 1924', a: 6378388, rf: 297 }],
  [7024, { proj: 'krass', name: 'Krassowsky 1940', a: 6378245, rf: 298.3 }],
  [7030, { proj: 'WGS84', name: 'WGS 84', a: 6378137, rf: 298.257223563 }],
  [7035, { proj: null, name: 'Sphere', a: 6371000, rf: 0 }],
  [7036, { proj: 'GRS67', name: 'GRS 1967', a: 6378160, rf: 298.247167427 }],
  [7043, { proj: 'WGS72', name: 'WGS 72', a: 6378135, rf: 298.26 }],
  [7047, { proj: null, name: 'GRS 1980 Authalic Sphere', a: 6370997, rf: 0 }],
  [7048, { proj: null, name: 'GRS 1980 Authalic Sphere', a: 6371007, rf: 0 }],
  [7050, { proj: 'aust_SA', name: 'GRS 1967 Modified', a: 6378160, rf: 298.25 }],
  [7059, { proj: null, name: 'Popular Visualisation Sphere', a: 6378137, rf: 0 }]
])

/** PROJ `+ellps=` names proj4js knows, with their values (those of the table, plus a few). */
export const PROJ_ELLIPSOIDS: ReadonlyMap<string, NamedEllipsoid> = new Map([
  ...[...ELLIPSOIDS.values()].filter((e) => e.proj !== null).map((e) => [e.proj!, e] as const),
  ['sphere', { proj: 'sphere', name: 'Normal Sphere (r=6370997)', a: 6370997, rf: 0 }]
])

/** A geodetic datum: its ellipsoid (EPSG code) and the shift to WGS 84 assumed when the file gives none. */
export interface DatumEntry {
  name: string
  ellipsoid: number
  /** proj4js' `+datum=` name (WGS84, NAD83, NAD27: the last shifts by grids, not by a Helmert). */
  proj?: string
  towgs84: readonly number[] | null
}

/** Geodetic datums by EPSG code (GeogGeodeticDatumGeoKey). */
export const DATUMS: ReadonlyMap<number, DatumEntry> = new Map<number, DatumEntry>([
  [6326, { name: 'WGS 84', ellipsoid: 7030, proj: 'WGS84', towgs84: [0, 0, 0] }],
  [6269, { name: 'NAD83', ellipsoid: 7019, proj: 'NAD83', towgs84: [0, 0, 0] }],
  [6152, { name: 'NAD83(HARN)', ellipsoid: 7019, towgs84: [0, 0, 0] }],
  [6267, { name: 'NAD27', ellipsoid: 7008, proj: 'NAD27', towgs84: null }],
  [6258, { name: 'ETRS89', ellipsoid: 7019, towgs84: [0, 0, 0] }],
  [6230, { name: 'ED50', ellipsoid: 7022, towgs84: [-87, -98, -121] }],
  [6277, { name: 'OSGB36', ellipsoid: 7001, towgs84: [446.448, -125.157, 542.06, 0.15, 0.247, 0.842, -20.489] }],
  [6289, { name: 'Amersfoort', ellipsoid: 7004, towgs84: [565.4171, 50.3319, 465.5524, -0.398957, 0.343988, -1.8774, 4.0725] }],
  [6313, { name: 'Belge 1972', ellipsoid: 7022, towgs84: [-106.8686, 52.2978, -103.7239, 0.3366, -0.457, 1.8422, -1.2747] }],
  [6171, { name: 'RGF93', ellipsoid: 7019, towgs84: [0, 0, 0] }],
  [6275, { name: 'NTF', ellipsoid: 7011, towgs84: [-168, -60, 320] }],
  [6283, { name: 'GDA94', ellipsoid: 7019, towgs84: [0, 0, 0] }],
  [6202, { name: 'AGD66', ellipsoid: 7003, towgs84: [-117.808, -51.536, 137.784, 0.303, 0.446, 0.234, -0.29] }],
  [6203, { name: 'AGD84', ellipsoid: 7003, towgs84: [-134, -48, 149] }],
  [6167, { name: 'NZGD2000', ellipsoid: 7019, towgs84: [0, 0, 0] }],
  [6272, { name: 'NZGD49', ellipsoid: 7022, towgs84: [59.47, -5.04, 187.44, 0.47, -0.1, 1.024, -4.5993] }],
  [6301, { name: 'Tokyo', ellipsoid: 7004, towgs84: [-146.414, 507.337, 680.507] }],
  [6612, { name: 'JGD2000', ellipsoid: 7019, towgs84: [0, 0, 0] }],
  [6284, { name: 'Pulkovo 1942', ellipsoid: 7024, towgs84: [23.92, -141.27, -80.9, 0, 0.35, 0.82, -0.12] }],
  [6322, { name: 'WGS 72', ellipsoid: 7043, towgs84: [0, 0, 4.5, 0, 0, 0.554, 0.2263] }],
  [6674, { name: 'SIRGAS 2000', ellipsoid: 7019, towgs84: [0, 0, 0] }],
  [6312, { name: 'MGI', ellipsoid: 7004, towgs84: [577.326, 90.129, 463.919, 5.137, 1.474, 5.297, 2.4232] }],
  [6314, { name: 'DHDN', ellipsoid: 7004, towgs84: [598.1, 73.7, 418.2, 0.202, 0.045, -2.455, 6.7] }],
  [6618, { name: 'SAD69', ellipsoid: 7050, towgs84: [-57, 1, -41] }]
])

/** Prime meridians by EPSG code (GeogPrimeMeridianGeoKey), in degrees east of Greenwich. */
export const PRIME_MERIDIANS: ReadonlyMap<number, number> = new Map([
  [8901, 0],
  [8902, -9.131906111111111],
  [8903, 2.33722917],
  [8904, -74.08091666666667],
  [8905, -3.687938888888889],
  [8906, 12.45233333333333],
  [8907, 7.439583333333333],
  [8908, 106.8077194444444],
  [8909, -17.66666666666667],
  [8910, 4.367975],
  [8911, 18.05827777777778],
  [8912, 23.7163375],
  [8913, 10.72291666666667]
])

/** Linear units by EPSG code (ProjLinearUnitsGeoKey): metres per unit. */
export const LINEAR_UNITS: ReadonlyMap<number, number> = new Map([
  [9001, 1],
  [9002, 0.3048],
  [9003, 1200 / 3937],
  [9005, 0.3047972654],
  [9014, 1.8288],
  [9030, 1852],
  [9036, 1000],
  [9037, 0.9143917962],
  [9040, 36 / 39.370147],
  [9042, 20.116684023368047],
  [9093, 1609.344],
  [9096, 0.9144],
  [9301, 0.3048007491]
])

/** Angular units by EPSG code (GeogAngularUnitsGeoKey): degrees per unit; 9110 (sexagesimal DDD.MMSSsss) apart. */
export const ANGULAR_UNITS: ReadonlyMap<number, number> = new Map([
  [9101, 180 / Math.PI],
  [9102, 1],
  [9103, 1 / 60],
  [9104, 1 / 3600],
  [9105, 0.9],
  [9106, 0.9],
  [9109, 180e-6 / Math.PI],
  [9122, 1]
])

/** PROJ `+units=` names by metres per unit (those proj4js reads). */
export const PROJ_UNITS: ReadonlyMap<string, number> = new Map([
  ['m', 1],
  ['km', 1000],
  ['ft', 0.3048],
  ['us-ft', 1200 / 3937],
  ['yd', 0.9144],
  ['us-yd', 3600 / 3937],
  ['mi', 1609.344],
  ['us-mi', 6336000 / 3937],
  ['fath', 1.8288],
  ['ch', 20.1168],
  ['link', 0.201168],
  ['ind-ft', 0.30479841],
  ['kmi', 1852]
])

/** PROJ `+pm=` names, in degrees east of Greenwich. */
export const PROJ_PRIME_MERIDIANS: ReadonlyMap<string, number> = new Map([
  ['greenwich', 0],
  ['lisbon', -9.131906111111],
  ['paris', 2.337229166667],
  ['bogota', -74.080916666667],
  ['madrid', -3.687938888889],
  ['rome', 12.452333333333],
  ['bern', 7.439583333333],
  ['jakarta', 106.807719444444],
  ['ferro', -17.666666666667],
  ['brussels', 4.367975],
  ['stockholm', 18.058277777778],
  ['athens', 23.7163375],
  ['oslo', 10.722916666667]
])
