/**
 * Command line of the `npm run serve` host:
 *   [--port N] [--host 127.0.0.1] [--allow-paths] [files…]
 */
import { resolve } from 'node:path'
import { expectedMessage } from '../../shared/errors'
import { urlSchemeOf } from '../raster/rasterUrl'

/** What `serve` was asked to do; defaults in `SERVE_DEFAULTS`. */
export interface ServeArgs {
  port: number
  host: string
  allowPaths: boolean
  /** Absolute paths of the files to open for every connection. */
  files: string[]
}

/** Default port 0 picks a free port. */
export const SERVE_DEFAULTS: Readonly<Omit<ServeArgs, 'files'>> = { port: 0, host: '127.0.0.1', allowPaths: false }

/** Parses `argv` (without node and script); throws a TypeError naming the bad option. */
export function parseServeArgs(argv: readonly string[], cwd: string = process.cwd()): ServeArgs {
  const args: ServeArgs = { ...SERVE_DEFAULTS, files: [] }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined]
    const value = (): string => {
      const v = inline ?? argv[++i]
      if (v === undefined) throw new TypeError(expectedMessage('a value', flag, v))
      return v
    }
    if (flag === '--port') {
      const raw = value()
      const port = Number(raw)
      if (!/^\d+$/.test(raw) || port > 65535) throw new TypeError(expectedMessage('integer between 0 and 65535', '--port', raw))
      args.port = port
    } else if (flag === '--host') args.host = value()
    else if (flag === '--allow-paths') args.allowPaths = true
    else if (flag === '--') continue
    else if (flag.startsWith('--')) throw new TypeError(expectedMessage('--port, --host, --allow-paths or a file', 'option', arg))
    // A URL stays a URL (the raster opener reads http(s) by range, and refuses other schemes by name).
    else args.files.push(urlSchemeOf(arg) === null ? resolve(cwd, arg) : arg)
  }
  return args
}
