/**
 * Worker side: the structure of a TIFF (its IFDs, sample layout, masks, overviews internal and in
 * an external `.ovr`), its no-data and its georeferencing as gdalinfo reports them, read with the
 * `geotiff` package without decoding pixels.
 */
import { existsSync } from 'node:fs'
import { type CrsInfo, type GeoTransform, type Georeference, noDataInSampleType } from '../../../shared/raster'
import { crsFromGeoKeys } from '../crs'
import { shortHash } from '../crs/hash'
import { type TiffDirectory, type TiffLayout, sampleTypeOfTiff } from '../tiffLayout'
import { decodeXmlText } from '../xmlText'
import { type GeoImage, fileSizeOf, openTiff } from './tiffFiles'
import { isRemoteLocation } from './remoteLocation'

export interface TiffStructure {
  layout: TiffLayout
  georeference: Georeference | null
}

/** Reads every IFD of the file's main chain (and of `<file>.ovr` when it exists) and the GeoTIFF tags of the first. */
export async function readTiffStructure(path: string): Promise<TiffStructure> {
  const main = await directoriesOf(path)
  const first = main[0]
  if (!first) throw new Error('the TIFF has no image')
  const ovrPath = `${path}.ovr`
  // A file on a server has no `.ovr` looked for beside it (its overviews are internal: a COG's).
  const external = !isRemoteLocation(path) && existsSync(ovrPath) ? await directoriesOf(ovrPath).catch(() => []) : []
  const image = first.image
  const directory = image.fileDirectory
  const bands = image.getSamplesPerPixel()
  const sampleFormat = Number(arrayOf(directory.getValue('SampleFormat'))[0] ?? 1)
  const bitsPerSample = Number(arrayOf(directory.getValue('BitsPerSample'))[0] ?? 1)
  const rawNoData = gdalNoData(directory.hasTag('GDAL_NODATA') ? directory.getValue('GDAL_NODATA') : undefined)
  const gdalMetadata: unknown = await directory.loadValue('GDAL_METADATA')
  const isMask = (d: TiffDirectory): boolean => (d.subfileType & 4) !== 0
  const full = first.directory
  // As GDAL: in the file, an IFD marked reduced-resolution is an overview and any other one a page
  // of its own (a subdataset, not shown); every IFD of the external .ovr is an overview.
  const overview = (d: TiffDirectory, file: string | null): boolean => !isMask(d) && (d === full || file !== null || (d.subfileType & 1) !== 0)
  const images = [...main, ...external].filter(({ directory: d, file }) => overview(d, file)).map(({ directory: d, file }) => ({ ...d, file }))
  const pages = main.filter(({ directory: d }) => (d.subfileType & 5) === 0).length
  const masks = [...main, ...external].filter(({ directory: d }) => isMask(d)).map(({ directory: d, file }) => ({ ...d, file }))
  const layout: TiffLayout = {
    images,
    masks,
    bands,
    sampleType: sampleTypeOfTiff(sampleFormat, bitsPerSample),
    sampleFormat,
    bitsPerSample,
    planarSeparate: image.planarConfiguration === 2 && bands > 1,
    photometric: Number(directory.getValue('PhotometricInterpretation') ?? 1),
    extraSamples: arrayOf(directory.getValue('ExtraSamples')).map(Number),
    hasColorMap: directory.hasTag('ColorMap'),
    // Compared with samples as GDAL compares them: in the band's own type (NaN kept: a NaN no-data is one).
    noData: noDataInSampleType(rawNoData, sampleTypeOfTiff(sampleFormat, bitsPerSample) ?? 'float64'),
    gdalColorInterp: gdalColorInterpretations(gdalMetadata, bands),
    gdalDescriptions: gdalBandDescriptions(gdalMetadata, bands),
    pages,
    predictor: Number((await directory.loadValue('Predictor')) ?? 1)
  }
  return { layout, georeference: georeferenceOf(image) }
}

/**
 * The value of GDAL's GDAL_NODATA tag (ASCII, as GDAL prints it: "-9999", "-3.4e+38", "nan",
 * "-inf"), or null when absent or not a number.
 */
export function gdalNoData(tag: unknown): number | null {
  if (typeof tag !== 'string') return null
  const text = tag.replace(/\0+$/, '').trim()
  if (/^nan$/i.test(text)) return Number.NaN
  const infinity = /^([+-]?)inf(inity)?$/i.exec(text)
  if (infinity) return infinity[1] === '-' ? -Infinity : Infinity
  const value = Number(text)
  return text !== '' && !Number.isNaN(value) ? value : null
}

/**
 * The per-band colour interpretations GDAL writes into its GDAL_METADATA XML
 * (`<Item name="COLORINTERP" sample="3" role="colorinterp">Undefined</Item>`); [] when it wrote none.
 * GDAL's names are lower-cased and 'grey' spelled 'gray'.
 */
export function gdalColorInterpretations(xml: unknown, bands: number): string[] {
  if (typeof xml !== 'string' || !xml.includes('colorinterp')) return []
  const found: string[] = []
  const item = /<Item\s+name="COLORINTERP"\s+sample="(\d+)"\s+role="colorinterp"\s*>([^<]*)<\/Item>/gi
  for (let match = item.exec(xml); match; match = item.exec(xml)) {
    const band = Number(match[1])
    if (band < bands) found[band] = match[2]!.trim().toLowerCase().replace('grey', 'gray')
  }
  if (found.length === 0) return []
  // Bands GDAL left out keep what the TIFF tags say: GDAL names only those that differ. 
  return Array.from({ length: bands }, (_, band) => found[band] ?? '')
}

/**
 * The band descriptions GDAL writes into its GDAL_METADATA XML
 * (`<Item name="DESCRIPTION" sample="0" role="description">Blue</Item>`), XML entities decoded;
 * one entry per band ('' for a band without one), [] when it wrote none.
 */
export function gdalBandDescriptions(xml: unknown, bands: number): string[] {
  if (typeof xml !== 'string' || !xml.includes('description')) return []
  const found: string[] = []
  const item = /<Item\s+name="DESCRIPTION"\s+sample="(\d+)"\s+role="description"\s*>([^<]*)<\/Item>/gi
  for (let match = item.exec(xml); match; match = item.exec(xml)) {
    const band = Number(match[1])
    if (band < bands) found[band] = decodeXmlText(match[2]!).trim()
  }
  if (found.length === 0) return []
  return Array.from({ length: bands }, (_, band) => found[band] ?? '')
}

type Located = { directory: TiffDirectory; file: string | null; image: GeoImage }

async function directoriesOf(path: string): Promise<Located[]> {
  const tiff = await openTiff(path)
  const count = await tiff.getImageCount()
  const fileSize = fileSizeOf(path)
  const located: Located[] = []
  for (let index = 0; index < count; index++) {
    const image = await tiff.getImage(index)
    await checkBlockExtents(image, index, fileSize)
    const directory = image.fileDirectory
    located.push({
      file: path.endsWith('.ovr') ? path : null,
      image,
      directory: {
        index,
        width: image.getWidth(),
        height: image.getHeight(),
        tiled: image.isTiled,
        blockHeight: image.isTiled ? image.getTileHeight() : Number(directory.getValue('RowsPerStrip') ?? image.getHeight()),
        compression: Number(directory.getValue('Compression') ?? 1),
        subfileType: Number(directory.getValue('NewSubfileType') ?? 0),
        planarSeparate: image.planarConfiguration === 2 && image.getSamplesPerPixel() > 1,
        tileWidth: image.isTiled ? image.getTileWidth() : 0,
        samplesPerPixel: image.getSamplesPerPixel(),
        bitsPerSample: arrayOf(directory.getValue('BitsPerSample')).map(Number),
        photometric: Number(directory.getValue('PhotometricInterpretation') ?? 1),
        extraSamples: arrayOf(directory.getValue('ExtraSamples')).length
      }
    })
  }
  return located
}

function arrayOf(value: unknown): unknown[] {
  if (value === undefined || value === null) return []
  if (typeof value === 'number') return [value]
  return Array.from(value as ArrayLike<unknown>)
}

/**
 * Throws when a tile or strip of page `index` lies (partly) past the end of the file: libtiff would
 * read it as zeros without failing, and a truncated or forged file would show black instead of an error.
 */
async function checkBlockExtents(image: GeoImage, index: number, fileSize: number): Promise<void> {
  const directory = image.fileDirectory
  const [offsetTag, countTag] = image.isTiled ? (['TileOffsets', 'TileByteCounts'] as const) : (['StripOffsets', 'StripByteCounts'] as const)
  const offsets = (await directory.loadValue(offsetTag)) as ArrayLike<number | bigint> | undefined
  const counts = (await directory.loadValue(countTag)) as ArrayLike<number | bigint> | undefined
  if (!offsets || !counts) return
  const what = image.isTiled ? 'tile' : 'strip'
  for (let t = 0; t < offsets.length; t++) {
    const end = Number(offsets[t]) + Number(counts[t] ?? 0)
    if (end > fileSize) {
      throw new Error(`${what} ${t} of page ${index} ends at byte ${end}, past the end of the file (${fileSize} bytes): the file is truncated or damaged`)
    }
  }
}

/**
 * GDAL's geotransform of the first image: ModelTransformation when present (rotation and shear
 * kept), else tie point and pixel scale (a negative Y scale is a south-up file); a PixelIsPoint
 * file is shifted by half a pixel as GDAL does (GTIFF_POINT_GEO_IGNORE off).
 */
export function georeferenceOf(image: Pick<GeoImage, 'fileDirectory' | 'getGeoKeys'>): Georeference | null {
  const directory = image.fileDirectory
  const matrix = arrayOf(directory.getValue('ModelTransformation')).map(Number)
  const tiePoint = arrayOf(directory.getValue('ModelTiepoint')).map(Number)
  const scale = arrayOf(directory.getValue('ModelPixelScale')).map(Number)
  let gt: GeoTransform
  if (matrix.length >= 16) {
    gt = [matrix[3]!, matrix[0]!, matrix[1]!, matrix[7]!, matrix[4]!, matrix[5]!]
  } else if (tiePoint.length >= 6 && scale.length >= 2) {
    const [i, j, , x, y] = tiePoint as [number, number, number, number, number]
    const [sx, sy] = scale as [number, number]
    gt = [x - i * sx, sx, 0, y + j * sy, 0, -sy]
  } else {
    return null
  }
  const keys = (image.getGeoKeys() ?? {}) as Record<string, unknown>
  const rasterType = keys.GTRasterTypeGeoKey === 2 ? 'point' : 'area'
  if (rasterType === 'point') {
    gt = [gt[0] - 0.5 * gt[1] - 0.5 * gt[2], gt[1], gt[2], gt[3] - 0.5 * gt[4] - 0.5 * gt[5], gt[4], gt[5]]
  }
  const crs = crsOfKeys(keys)
  return { geoTransform: gt, rasterType, epsg: crs?.epsg ?? null, crs, rotated: gt[2] !== 0 || gt[4] !== 0 }
}

/**
 * The CRS the keys define in full (`crsFromGeoKeys`); a definition Tessera cannot read leaves the
 * CRS unknown rather than failing the open, keeping the code the file names, if any.
 */
function crsOfKeys(keys: Record<string, unknown>): CrsInfo | null {
  try {
    return crsFromGeoKeys(keys)
  } catch (error) {
    const code = keys.ProjectedCSTypeGeoKey ?? keys.GeographicTypeGeoKey
    // 32767 is GeoTIFF's "user-defined": no EPSG code to give.
    const epsg = typeof code === 'number' && code > 0 && code !== 32767 ? code : null
    const reason = error instanceof Error ? error.message : String(error)
    return { id: epsg !== null ? `EPSG:${epsg}` : `CUSTOM:${shortHash(JSON.stringify(keys))}`, epsg, proj4: null, name: epsg !== null ? `EPSG:${epsg}` : `Unknown CRS (${reason})`, source: 'geokeys' }
  }
}
