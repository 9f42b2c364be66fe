#!/usr/bin/env node
// `npm run serve -- [--port N] [--host 127.0.0.1] [--allow-paths] [files…]`
// Builds with electron-vite when out/main/serve.js is missing or older than any file under src/
// (or electron.vite.config.ts), then runs the Node host: `node out/main/serve.js …args`.
// The host prints exactly one line on stdout:  Tessera serving at http://HOST:PORT/?token=TOKEN
// Build output goes to stderr so that stdout carries only that line.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const entry = join(root, 'out/main/serve.js')
const rendererIndex = join(root, 'out/renderer/index.html')

function newestMtime(path) {
  const info = statSync(path)
  if (!info.isDirectory()) return info.mtimeMs
  let newest = info.mtimeMs
  for (const name of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, name)))
  return newest
}

function needsBuild() {
  if (process.env.TESSERA_SKIP_BUILD) return false
  if (!existsSync(entry) || !existsSync(rendererIndex)) return true
  const built = Math.min(statSync(entry).mtimeMs, statSync(rendererIndex).mtimeMs)
  const sources = [join(root, 'src'), join(root, 'electron.vite.config.ts')].filter(existsSync)
  return sources.some((source) => newestMtime(source) > built)
}

if (needsBuild()) {
  console.error('[tessera] building (electron-vite build)…')
  const bin = join(root, 'node_modules/electron-vite/bin/electron-vite.js')
  const build = existsSync(bin)
    ? spawnSync(process.execPath, [bin, 'build'], { cwd: root, stdio: ['ignore', process.stderr, 'inherit'] })
    : spawnSync('npx', ['electron-vite', 'build'], { cwd: root, stdio: ['ignore', process.stderr, 'inherit'], shell: process.platform === 'win32' })
  if (build.status !== 0) {
    console.error('[tessera] build failed')
    process.exit(build.status ?? 1)
  }
}

const child = spawn(process.execPath, [entry, ...process.argv.slice(2)], { cwd: process.cwd(), stdio: 'inherit' })
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => child.kill(signal))
}
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)))
