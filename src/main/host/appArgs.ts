/**
 * Files given on the Electron app's command line (`tessera a.tif b.jpg`). In development
 * (`electron .` or `electron out/main/index.js`) argv carries the app path first; packaged apps
 * do not. Chromium switches (`--foo`) are skipped.
 */
import { resolve } from 'node:path'
import { urlSchemeOf } from '../raster/rasterUrl'

/** Absolute paths of the files named in `argv` (process.argv). `defaultApp` is `process.defaultApp`. */
export function filesFromArgv(argv: readonly string[], options: { defaultApp: boolean; cwd?: string }): string[] {
  const rest = argv.slice(options.defaultApp ? 2 : 1)
  const files: string[] = []
  let afterDashes = false
  for (const arg of rest) {
    if (!afterDashes && arg === '--') {
      afterDashes = true
      continue
    }
    if (!afterDashes && arg.startsWith('-')) continue
    if (arg === '' || arg === '.') continue
    // A URL stays a URL (the raster opener reads http(s) by range, and refuses other schemes by name).
    files.push(urlSchemeOf(arg) === null ? resolve(options.cwd ?? process.cwd(), arg) : arg)
  }
  return files
}
