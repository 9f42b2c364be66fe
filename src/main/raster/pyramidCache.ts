/**
 * Where pyramids built for non-tiled files live, and when one may be reused: the file is named
 * after the source's absolute path, and a manifest beside it records the source's size and
 * modification time. A manifest that does not match means the source changed: rebuild.
 */
import { createHash } from 'node:crypto'
import { constants } from 'node:fs'
import { access, mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { homedir, platform, tmpdir } from 'node:os'
import { join } from 'node:path'

/** Bumped when the pyramid format changes, so that old caches are not read. */
const CACHE_VERSION = 1

/** The identity of a source file that a pyramid was built from. */
export interface SourceStamp {
  path: string
  size: number
  mtimeMs: number
  tileSize: number
}

/** Default cache directory: TESSERA_CACHE_DIR, else $XDG_CACHE_HOME/tessera/pyramids (Linux), else the temporary directory. */
export function defaultCacheDir(): string {
  if (process.env.TESSERA_CACHE_DIR) return process.env.TESSERA_CACHE_DIR
  if (platform() === 'linux') return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'tessera', 'pyramids')
  return join(tmpdir(), 'tessera-cache', 'pyramids')
}

/** Paths of the pyramid and its manifest for a source. */
export function cachePaths(cacheDir: string, sourcePath: string, tileSize: number): { pyramid: string; manifest: string } {
  const key = createHash('sha256').update(`${sourcePath}\0${tileSize}`).digest('hex').slice(0, 32)
  return { pyramid: join(cacheDir, `${key}.tif`), manifest: join(cacheDir, `${key}.json`) }
}

/** True when the manifest says the pyramid was built from exactly this version of the source. */
export async function isCacheValid(cacheDir: string, stamp: SourceStamp): Promise<boolean> {
  const { manifest } = cachePaths(cacheDir, stamp.path, stamp.tileSize)
  try {
    const saved = JSON.parse(await readFile(manifest, 'utf8')) as Partial<SourceStamp> & { version?: number }
    return (
      saved.version === CACHE_VERSION &&
      saved.path === stamp.path &&
      saved.size === stamp.size &&
      saved.mtimeMs === stamp.mtimeMs &&
      saved.tileSize === stamp.tileSize
    )
  } catch {
    return false
  }
}

/** Forgets a pyramid (before rebuilding it, so a stale one is never read). */
export async function invalidateCache(cacheDir: string, stamp: SourceStamp): Promise<void> {
  const { manifest } = cachePaths(cacheDir, stamp.path, stamp.tileSize)
  await rm(manifest, { force: true })
}

/** Records that the pyramid now in place was built from `stamp`. */
export async function writeManifest(cacheDir: string, stamp: SourceStamp): Promise<void> {
  const { manifest } = cachePaths(cacheDir, stamp.path, stamp.tileSize)
  await writeFile(manifest, JSON.stringify({ version: CACHE_VERSION, ...stamp }))
}

/** Creates the cache directory if needed; rejects when it cannot be created or is not writable. */
export async function ensureCacheDir(cacheDir: string): Promise<void> {
  await mkdir(cacheDir, { recursive: true })
  await access(cacheDir, constants.W_OK)
}
