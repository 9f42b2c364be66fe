/**
 * The servers' data of the `web` suite, made once in bench/.cache/web (ignored by git) from the
 * `remote` suite's RGB COG (EPSG:3857, 1 m pixels, origin at 0, 0):
 * - an XYZ pyramid written by GDAL's own gdal2tiles.py (`--xyz`, zooms 0…16, or 0…17 without
 *   --quick, average resampling, PNG), served by nginx;
 * - a mapfile for MapServer offering the same COG as the WMS layer `ortho` in EPSG:3857 (and 4326),
 *   served by fcgiwrap behind nginx (test/helpers/mapserver.ts).
 */
import { execFile } from 'node:child_process'
import { chmodSync, existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import type { WmsData } from '../../test/helpers/mapserver'
import { GDAL2TILES } from '../../test/helpers/xyzPyramid'
import type { RemoteCog } from '../remote/cogs'

const run = promisify(execFile)

export interface WebFixtures {
  /** The pyramid's folder (`<z>/<x>/<y>.png`). */
  xyzDir: string
  maxZoom: number
  wms: WmsData
  /** The area both layers cover, EPSG:3857 metres: [minX, minY, maxX, maxY]. */
  extent: [number, number, number, number]
}

/** Writes (or finds) the pyramid and the mapfile for `ortho` under `cacheDir`. */
export async function ensureWebFixtures(cacheDir: string, ortho: RemoteCog, quick: boolean): Promise<WebFixtures> {
  mkdirSync(cacheDir, { recursive: true })
  chmodSync(cacheDir, 0o755)
  const maxZoom = quick ? 16 : 17
  const xyzDir = join(cacheDir, `xyz-${ortho.side}-z${maxZoom}`)
  if (!existsSync(xyzDir)) {
    if (!existsSync(GDAL2TILES)) throw new Error(`The web bench needs ${GDAL2TILES} (Debian's gdal-bin) and python3-gdal`)
    const partial = `${xyzDir}.partial`
    rmSync(partial, { recursive: true, force: true })
    await run('/usr/bin/python3', [GDAL2TILES, '--xyz', '-z', `0-${maxZoom}`, '-r', 'average', '-w', 'none', '-q', '--processes=2', ortho.path, partial], { timeout: 900_000 })
    renameSync(partial, xyzDir)
  }
  const extent: [number, number, number, number] = [0, -ortho.side, ortho.side, 0]
  const mapfile = join(cacheDir, 'bench.map')
  writeFileSync(
    mapfile,
    `MAP
  NAME "bench"
  EXTENT ${extent.join(' ')}
  SIZE 256 256
  PROJECTION "init=epsg:3857" END
  WEB
    METADATA
      "wms_title" "Tessera bench WMS"
      "wms_srs" "EPSG:3857 EPSG:4326"
      "wms_enable_request" "*"
    END
  END
  OUTPUTFORMAT NAME "png" DRIVER "AGG/PNG" MIMETYPE "image/png" IMAGEMODE RGBA EXTENSION "png" END
  OUTPUTFORMAT NAME "jpeg" DRIVER "AGG/JPEG" MIMETYPE "image/jpeg" IMAGEMODE RGB EXTENSION "jpg" END
  LAYER
    NAME "ortho"
    TYPE RASTER
    STATUS ON
    DATA "${ortho.path}"
    PROJECTION "init=epsg:3857" END
    METADATA "wms_title" "Orthophoto" END
  END
END
`
  )
  const config = join(cacheDir, 'mapserver.conf')
  writeFileSync(config, `CONFIG\n  ENV\n    MS_MAP_PATTERN "^${cacheDir}/"\n    MS_MAPFILE "${mapfile}"\n  END\nEND\n`)
  const wms: WmsData = {
    dir: cacheDir,
    ortho: ortho.path,
    orthoTransform: [0, 1, 0, 0, 0, -1],
    orthoSize: [ortho.side, ortho.side],
    // The helper's type has a DEM; this mapfile serves none (the bench walks the orthophoto).
    dem: '',
    demTransform: [0, 1, 0, 0, 0, -1],
    demMax: 0,
    mapfile,
    config
  }
  return { xyzDir, maxZoom, wms, extent }
}
