// Fetches the Electron binary after `npm install` (since Electron 42 the package no longer does it
// itself). Where the download host cannot be reached — CI and sandboxes without internet — this
// warns and exits 0 so that `npm ci` still succeeds; the browser host (`npm run serve`) needs no
// Electron binary, and the Electron end-to-end specs report themselves as skipped.
import { spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'

const require = createRequire(import.meta.url)
let electronDir
try {
  electronDir = dirname(require.resolve('electron/package.json'))
} catch {
  process.exit(0) // production install without devDependencies: nothing to fetch
}
const installer = join(electronDir, 'install.js')
if (!existsSync(installer)) process.exit(0)
if (process.env.TESSERA_SKIP_ELECTRON_DOWNLOAD) {
  console.warn('[tessera] TESSERA_SKIP_ELECTRON_DOWNLOAD set: Electron binary not fetched.')
  process.exit(0)
}
const result = spawnSync(process.execPath, [installer], { stdio: 'inherit', timeout: 180_000 })
if (result.status !== 0) {
  console.warn(
    '[tessera] warning: the Electron binary could not be downloaded (no access to its host?).\n' +
      '[tessera] `npm run serve` and the browser tests work without it; `npm start` needs it.'
  )
}
process.exit(0)
