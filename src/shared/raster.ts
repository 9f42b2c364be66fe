/**
 * What both processes know about an open raster. Built by `src/main/raster`, shown by the
 * renderer (layers list, info panel, stretch of single-band data).
 */

/** Sample type of the source's bands (and of 1-channel tiles on the wire). */
export type SampleType = 'uint8' | 'int8' | 'uint16' | 'int16' | 'uint32' | 'int32' | 'float32' | 'float64'

/** One pyramid level: levels[0] is full resolution, each next one half of it, rounded up. */
export interface LevelSize {
  width: number
  height: number
}

/** Value statistics of a single-band raster, for the renderer's linear stretch. */
export interface BandStatistics {
  min: number
  max: number
  /** 2nd and 98th percentiles: the default stretch range. */
  p2: number
  p98: number
  noData: number | null
}

/** Georeferencing of a north-up raster: map = origin + pixel * pixelSize (pixel corner). */
export interface Georeference {
  /** Map coordinates of the top-left corner of pixel (0, 0). */
  originX: number
  originY: number
  /** Map units per pixel; pixelSizeY is negative for north-up images. */
  pixelSizeX: number
  pixelSizeY: number
  /** EPSG code of the coordinate reference system when the file names one. */
  epsg: number | null
}

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
  hasAlpha: boolean
  /**
   * Channels of the tiles this raster sends: 4 (RGBA8) for anything with colour or 8-bit grey,
   * 1 for single-band 16-bit / float rasters (sent in their own sample type).
   */
  tileChannels: 1 | 4
  /**
   * Sample type of the tiles' samples: 'uint8' for RGBA8 tiles; for 1-channel tiles the source's
   * type when it is uint16, int16 or float32, else float32 (added by issue 3; absent means the
   * same as sampleType for 1-channel tiles).
   */
  tileSampleType?: SampleType
  /** Present for single-band value rasters (tileChannels 1). */
  statistics: BandStatistics | null
  georeference: Georeference | null
  strategy: RasterStrategy
  /** False while a background pyramid is being built (strategy 'pyramid'). */
  pyramidReady: boolean
}
