/** Worker side: the TIFF structure (pages, tiling) and georeferencing, read with the `geotiff` package. */
import { stat } from 'node:fs/promises'
import { fromFile } from 'geotiff'
import type { Georeference } from '../../../shared/raster'

export interface TiffStructure {
  pages: { width: number; height: number; tiled: boolean }[]
  georeference: Georeference | null
  noData: number | null
}

/** Reads every IFD of the main chain (not their pixels) and the GeoTIFF tags of the first. */
export async function readTiffStructure(path: string): Promise<TiffStructure> {
  const tiff = await fromFile(path)
  try {
    const count = await tiff.getImageCount()
    const fileSize = (await stat(path)).size
    const pages: TiffStructure['pages'] = []
    for (let i = 0; i < count; i++) {
      const image = await tiff.getImage(i)
      if (image.isTiled) await checkTileExtents(image, i, fileSize)
      pages.push({ width: image.getWidth(), height: image.getHeight(), tiled: image.isTiled })
    }
    const first = await tiff.getImage(0)
    return { pages, georeference: georeferenceOf(first), noData: first.getGDALNoData() }
  } finally {
    await (tiff as { close?: () => Promise<void> | void }).close?.()
  }
}

type GeoImage = Awaited<ReturnType<Awaited<ReturnType<typeof fromFile>>['getImage']>>

/**
 * Throws when a tile of page `index` lies (partly) past the end of the file: libtiff would read
 * it as zeros without failing, and a truncated or forged file would show black instead of an error.
 */
async function checkTileExtents(image: GeoImage, index: number, fileSize: number): Promise<void> {
  const directory = image.fileDirectory
  const offsets = (await directory.loadValue('TileOffsets')) as ArrayLike<number | bigint> | undefined
  const counts = (await directory.loadValue('TileByteCounts')) as ArrayLike<number | bigint> | undefined
  if (!offsets || !counts) return
  for (let t = 0; t < offsets.length; t++) {
    const end = Number(offsets[t]) + Number(counts[t] ?? 0)
    if (end > fileSize) {
      throw new Error(`tile ${t} of page ${index} ends at byte ${end}, past the end of the file (${fileSize} bytes): the file is truncated or damaged`)
    }
  }
}

function georeferenceOf(image: GeoImage): Georeference | null {
  let origin: number[]
  let resolution: number[]
  try {
    origin = image.getOrigin()
    resolution = image.getResolution()
  } catch {
    return null // no tie point / pixel scale / transformation: not georeferenced
  }
  const keys = (image.getGeoKeys() ?? {}) as Record<string, unknown>
  const code = keys.ProjectedCSTypeGeoKey ?? keys.GeographicTypeGeoKey
  // 32767 is GeoTIFF's "user-defined": no EPSG code to give.
  const epsg = typeof code === 'number' && code > 0 && code !== 32767 ? code : null
  return { originX: origin[0]!, originY: origin[1]!, pixelSizeX: resolution[0]!, pixelSizeY: resolution[1]!, epsg }
}
