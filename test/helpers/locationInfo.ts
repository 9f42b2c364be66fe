/**
 * `gdallocationinfo -valonly` as the reference of values at pixels (issue 23: a profile's values at
 * its vertices): the value of every band at each (column, row) given, as GDAL reads level 0.
 */
import { execFile } from 'node:child_process'

/**
 * GDAL's values at level-0 pixels (column, row; fractional positions name the pixel of their floor,
 * as gdallocationinfo does), one array of band values per point, every point inside the raster.
 * Values are as GDAL prints them (%.15g): compare Float32 samples through Math.fround.
 */
export function gdalLocationValues(path: string, pixels: ReadonlyArray<{ x: number; y: number }>, bands = 1): Promise<number[][]> {
  return new Promise((resolve, reject) => {
    const child = execFile('gdallocationinfo', ['-valonly', path], { encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error) return reject(new Error(`gdallocationinfo ${path} failed: ${(stderr || error.message).trim()}`))
      const lines = stdout.trim().split('\n').map(Number)
      if (lines.length !== pixels.length * bands) return reject(new Error(`gdallocationinfo gave ${lines.length} values for ${pixels.length} points × ${bands} bands: ${stdout}`))
      resolve(pixels.map((_, i) => lines.slice(i * bands, (i + 1) * bands)))
    })
    child.stdin!.end(pixels.map((p) => `${p.x} ${p.y}`).join('\n') + '\n')
  })
}
