/**
 * What both processes know about an open raster. Built by `src/main/raster`, shown by the
 * renderer (layers list, info panel, stretch of single-band data).
 */
import type { WebSource } from './webLayers'

/** Sample type of the source's bands (and of 1-channel tiles on the wire). */
export type SampleType = 'uint8' | 'int8' | 'uint16' | 'int16' | 'uint32' | 'int32' | 'float32' | 'float64'

/** One pyramid level: levels[0] is full resolution, each next one half of it, rounded up. */
export interface LevelSize {
  width: number
  height: number
}

/** Value statistics of one band over the whole raster (no-data, NaN and masked pixels left out). */
export interface BandStatistics {
  min: number
  max: number
  /** 2nd and 98th percentiles: the default stretch range. */
  p2: number
  p98: number
  /** Further percentiles and moments for stretch presets (0.5 %, 99.5 %, mean, standard deviation). */
  p0_5?: number
  p99_5?: number
  mean?: number
  stdDev?: number
  /** The raster's no-data value (the same for every band, as GDAL's GeoTIFF driver writes it). */
  noData: number | null
  /** False when the figures come from a reduction (an overview or a strided pass), true when every pixel was read. */
  exact?: boolean
  /** Counts of the valid values in HISTOGRAM_BINS equal bins from min to max (max in the last). */
  histogram?: number[]
  /** A paletted band's valid pixels per class value (index = value), over the pixels the figures above were taken from. */
  classCounts?: number[]
}

/**
 * The no-data value as samples of `type` hold it, which is how GDAL compares them: a float32 band's
 * samples are float32, so "-3.4e+38" in GDAL_NODATA is `Math.fround(-3.4e38)` there; an integer
 * band's no-data is truncated toward zero as GDAL's C++ cast does (1.4 in a Byte band matches 1);
 * NaN stays NaN (every NaN sample is no data); a value the type cannot hold (-9999 in a Byte band)
 * is kept as it is: no sample equals it.
 */
export function noDataInSampleType(noData: number | null, type: SampleType): number | null {
  if (noData === null || Number.isNaN(noData)) return noData
  if (type === 'float64') return noData
  if (type === 'float32') return Math.fround(noData)
  const [min, max] = INTEGER_RANGES[type]
  return noData >= min && noData <= max ? Math.trunc(noData) : noData
}

const INTEGER_RANGES: Record<Exclude<SampleType, 'float32' | 'float64'>, [number, number]> = {
  uint8: [0, 255],
  int8: [-128, 127],
  uint16: [0, 65_535],
  int16: [-32_768, 32_767],
  uint32: [0, 4_294_967_295],
  int32: [-2_147_483_648, 2_147_483_647]
}

/** Whether statistics are those of the whole raster ('final') or of a sample read at open ('provisional'). */
export type StatisticsState = 'provisional' | 'final'

/** Bins of a band's histogram. */
export const HISTOGRAM_BINS = 64

/**
 * GDAL's affine geotransform, in GDAL's order: map X = gt[0] + col·gt[1] + row·gt[2],
 * map Y = gt[3] + col·gt[4] + row·gt[5], for (col, row) the top-left corner of a pixel
 * (PixelIsArea). A PixelIsPoint file's transform is shifted by half a pixel as gdalinfo does.
 */
export type GeoTransform = [number, number, number, number, number, number]

/** Where a raster's CRS was read ('service': the CRS a web map server serves the layer in). */
export type CrsSource = 'geokeys' | 'prj' | 'aux-xml' | 'manual' | 'service'

/**
 * A coordinate reference system as the file defines it (DESIGN.md §4: a CRS is a definition, not
 * only a code). Two descriptions with the same `id` are one CRS: no warning, no reprojection.
 */
export interface CrsInfo {
  /**
   * `EPSG:<n>` when the file names an EPSG code or its definition is equivalent to one (compared
   * parameter by parameter, as GDAL identifies codes); otherwise `CUSTOM:<hash>` of the normalised
   * definition, so that two spellings of one user-defined CRS are one CRS.
   */
  id: string
  /** The EPSG code named or identified; null for a CRS that has none. */
  epsg: number | null
  /** Its definition as proj4js takes it (a PROJ string); null when it cannot be built: the CRS is unknown. */
  proj4: string | null
  /** Its name for people ("NAD83 / Georgia East (ftUS)", "Transverse Mercator on GRS 1980"). */
  name: string
  /** Where it was read: the GeoTIFF keys, a `.prj` side-car, GDAL's `.aux.xml`, or set by a person. */
  source: CrsSource
}

/** Georeferencing of a raster: what `gdalinfo -json` reports. */
export interface Georeference {
  geoTransform: GeoTransform
  /** GeoTIFF's raster type (GDAL's AREA_OR_POINT). */
  rasterType: 'area' | 'point'
  /** EPSG code of the coordinate reference system when the file names one or Tessera identified one (= `crs.epsg`). */
  epsg: number | null
  /** The CRS as the file defines it, in full; absent from a host that predates it (then `epsg` alone). */
  crs?: CrsInfo | null
  /** True when the transform rotates or shears (gt[2] or gt[4] not zero). */
  rotated: boolean
}

/** How a band is meant to be shown (GDAL's colour interpretation, from the TIFF's photometric and extra samples). */
export type ColorInterpretation = 'gray' | 'red' | 'green' | 'blue' | 'alpha' | 'palette' | 'undefined'

/** What is known of one band of the source. */
export interface BandInfo {
  colorInterpretation: ColorInterpretation
  /** Statistics over the whole raster for value rasters (tileKind 'bands'); null for colour images. */
  statistics: BandStatistics | null
  /** The band's description as GDAL reads it ("Red", "NIR", "B4 red"), when the file gives one. */
  description?: string
}

/**
 * How tiles carry pixels:
 * - 'rgba8': RGBA8 rows, for images shown as they are (8-bit grey, RGB, palette, YCbCr JPEG), alpha
 *   from the file's alpha band or mask;
 * - 'bands': every band of the source in its own sample type, pixel-interleaved, followed by one
 *   validity channel (same sample type, 0 = masked or no data) when `tileMask` is true.
 */
export type TileKind = 'rgba8' | 'bands'

/** How a source produces its tiles (DESIGN.md §3). */
export type RasterStrategy = 'tiled' | 'memory' | 'pyramid'

export interface RasterInfo {
  /** File name without directories, for people. */
  name: string
  /** Container format as libvips names it: jpeg, png, tiff, webp, heif, gif, svg… */
  format: string
  fileSize: number
  /** Level 0, full resolution, after EXIF orientation. */
  width: number
  height: number
  /** Tiles are tileSize², edge tiles smaller. */
  tileSize: number
  levels: LevelSize[]
  /** Bands of the source: 1 grey/value, 2 grey+alpha, 3 RGB, 4 RGBA… */
  bands: number
  sampleType: SampleType
  /** True only when the file declares an alpha band (TIFF ExtraSamples, PNG/WebP alpha) or has a mask. */
  hasAlpha: boolean
  /** One entry per source band. */
  bandInfo: BandInfo[]
  /** The no-data value of every band (GDAL_NODATA), or null. */
  noData: number | null
  /** The file has an internal mask (GDAL's per-dataset mask): masked pixels are transparent. */
  hasMask: boolean
  /** Bands shown by default, 0-based: one band (stretched, colour map) or three (R, G, B, each stretched). */
  displayBands: [number] | [number, number, number]
  /** How the tiles of this raster carry pixels (see TileKind). */
  tileKind: TileKind
  /** 'bands' tiles: the last channel is a validity mask (0 = no data). */
  tileMask: boolean
  /** Compression of the source as GDAL names it (DEFLATE, LZW, JPEG, ZSTD, LERC…), when it has one. */
  compression?: string
  /** Damage found in a file that still decodes (bad checksum, truncated rows): shown to the person. */
  warnings: string[]
  /** Channels of each tile pixel on the wire: 4 for 'rgba8'; bands (+1 with tileMask) for 'bands'. */
  tileChannels: number
  /** Sample type of the tiles' samples: 'uint8' for 'rgba8'; the source's own type for 'bands'. */
  tileSampleType: SampleType
  /** Statistics of the first displayed band (value rasters), for the default stretch; null for colour images. */
  statistics: BandStatistics | null
  /**
   * Whether the bands' statistics are the whole raster's ('final') or provisional: a value raster
   * opens with statistics of a few blocks spread over it (or its smallest overview), so that it
   * opens as fast as a picture; the whole-raster ones follow in an `info-update` event. Absent
   * from a host that predates it: final.
   */
  statisticsState?: StatisticsState
  georeference: Georeference | null
  strategy: RasterStrategy
  /** False while a background pyramid is being built (strategy 'pyramid'). */
  pyramidReady: boolean
  /**
   * A paletted raster (a land cover): its one band, in 'bands' tiles, is the class value, drawn
   * through this colour table (entry = value; r, g, b, a 0–255 as GDAL reads it), as QGIS does.
   */
  palette?: PaletteEntry[]
  /** The class names of the raster attribute table GDAL keeps beside the file (its `.aux.xml`), by value. */
  classNames?: ClassName[]
  /**
   * A raster read from a server by URL (`open-url`): where, and what the server said of the file;
   * or a web map layer (`open-web-layer`, `kind: 'web'`): its service, layer and attribution.
   */
  source?: RemoteSource | WebSource
}

export type { WebSource } from './webLayers'

/** The server's file behind a raster opened by URL. */
export interface RemoteSource {
  /** Tells it from a web map layer's source (`WebSource`, kind 'web'). */
  kind: 'url'
  /** The URL as the person gave it. */
  url: string
  /** Bytes, as the server said (also `RasterInfo.fileSize`). */
  size: number
  /** The file's date as the server said it (HTTP Last-Modified), or null. */
  lastModified: string | null
  /** True when the server ignored range requests and the (small) file was read whole. */
  wholeBody: boolean
}

/** One colour of a palette: r, g, b, a, each 0–255. */
export type PaletteEntry = [number, number, number, number]

/** A class of a raster attribute table: the pixel value and its name ("Mixed forest"). */
export interface ClassName {
  value: number
  name: string
}
