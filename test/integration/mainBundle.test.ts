/**
 * The Electron main bundle must not load libvips or geotiff.js: decoding stays in the workers, and
 * `import sharp` at the top of out/main would block the app's start-up on loading libvips (issue 12).
 * Reads what `npm run build` wrote (npm test builds before Vitest runs).
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const OUT = join(import.meta.dirname, '../../out/main')

/** Every JavaScript file of the main bundle but the decode worker's own chunk. */
function mainProcessFiles(): string[] {
  const files: string[] = []
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name)
      if (entry.isDirectory()) walk(path)
      else if (entry.name.endsWith('.js') && !entry.name.startsWith('decode.worker')) files.push(path)
    }
  }
  walk(OUT)
  return files
}

describe('the built main bundle', () => {
  it('exists (npm test builds it before the tests run)', () => {
    expect(existsSync(join(OUT, 'index.js')), `${OUT}/index.js is missing: run npm run build first`).toBe(true)
  })

  it('imports neither sharp nor geotiff outside the decode worker', () => {
    const offenders = mainProcessFiles().filter((file) => /(?:from|import|require\()\s*["'](?:sharp|geotiff)["']/.test(readFileSync(file, 'utf8')))
    expect(offenders).toEqual([])
  })

  it('still ships the decode worker, which does', () => {
    const workers = readdirSync(join(OUT, 'chunks')).filter((name) => name.startsWith('decode.worker'))
    expect(workers.length).toBeGreaterThan(0)
    expect(readFileSync(join(OUT, 'chunks', workers[0]!), 'utf8')).toMatch(/from\s*["']sharp["']/)
  })
})
