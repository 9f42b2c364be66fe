/**
 * Opening a GeoTIFF or COG at an http(s) URL (issue 24): read in place by range requests, as GDAL's
 * /vsicurl/ does, never downloaded whole (unless the server ignores ranges and the file is small,
 * which the remote layer decides and the info says). The main thread fetches (`remoteFiles.ts`: one
 * RemoteFile per URL and version); the decode workers read through it (`decode/remoteSource.ts`),
 * always with geotiff.js (libvips reads files by path). Strategy 'tiled' always: no memory decode,
 * no pyramid build of a remote file. A stored JPEG or WebP tile passes through as a local one does.
 */
import { CannotOpenError, messageOf } from '../../shared/errors'
import type { RemoteSource } from '../../shared/raster'
import { type RemoteFile, RemoteReadError } from '../remote'
import { ImageLoadPriority } from '../../shared/priority'
import { getDefaultPools } from './decodePools'
import { claimRefusal, readClaimedSize } from './claimedSize'
import type { BlockIndex, ProbeResult, SharedLevel } from './decode/jobs'
import { remoteLocation } from './decode/remoteLocation'
import { FileVersion } from './fileVersion'
import { decodeInPlaceOverview, inPlaceOverviewLevel } from './inPlaceOverview'
import { jpegPassthroughLevels } from './jpegPassthrough'
import { type OpenOptions, defaultOpenOptions } from './options'
import { plainCause, rasterInfo } from './openRaster'
import { Raster } from './Raster'
import { nameOfUrl, urlSchemeOf } from './rasterUrl'
import { RegionReader, SharedReader, regionSourceOf } from './readers'
import { type RemoteLease, remoteStampOf, sharedRemoteFiles } from './remoteFiles'
import { RemotePrefetcher } from './remotePrefetch'
import { RemoteTileBytes } from './remoteTileBytes'
import type { OpenContext } from './strategy'
import type { RasterSource } from './types'
import { OverviewWhenReadyReader } from './whenReady'
import { defaultCacheDir } from './pyramidCache'

/**
 * Opens the raster at `url`. Rejects with a CannotOpenError naming the URL and the cause: another
 * scheme than http(s), the server's failure (404, DNS, TLS, a stall…), a body that is not a TIFF,
 * a layout that cannot be read in place. `version` is the version the service holds it for (its
 * stamp's tag is the server's ETag or Last-Modified); without one, the server's version now.
 */
export async function openRemoteRaster(url: string, options: OpenOptions = {}, version?: FileVersion): Promise<RasterSource> {
  const scheme = urlSchemeOf(url)
  if (scheme !== 'http:' && scheme !== 'https:') {
    throw new CannotOpenError(url, scheme ? `only http and https URLs are opened, not ${scheme.slice(0, -1)} URLs` : 'it is not an http or https URL')
  }
  const lease = await leaseOf(url, version)
  try {
    return await openLeased(url, lease, options, version)
  } catch (error) {
    lease.release()
    throw error
  }
}

/** The version of `url` that `version` names, held open; the server's version now when it names none or another. */
async function leaseOf(url: string, version: FileVersion | undefined): Promise<RemoteLease> {
  const files = sharedRemoteFiles()
  const tag = version?.stamp?.tag
  const held = tag === undefined ? null : files.lease(url, tag)
  if (held) return held
  const file = await files.current(url).catch((error: unknown) => {
    throw new CannotOpenError(url, remoteCause(error, url))
  })
  return files.lease(url, file.info.version)!
}

async function openLeased(url: string, lease: RemoteLease, options: OpenOptions, version: FileVersion | undefined): Promise<RasterSource> {
  const file = lease.file
  const { size, contentType, wholeBody, lastModified } = file.info
  const read = (offset: number, length: number): Promise<Uint8Array> => file.read(offset, length)
  const head = await read(0, 16).catch((error: unknown) => {
    throw new CannotOpenError(url, remoteCause(error, url))
  })
  if (!startsLikeTiff(head)) throw new CannotOpenError(url, notTiffReason(head, contentType))
  const defaults = options.pool && options.backgroundPool ? null : getDefaultPools()
  const pool = options.pool ?? defaults!.tiles
  const backgroundPool = options.backgroundPool ?? defaults!.background
  pool.warm()
  const settings = { ...defaultOpenOptions, cacheDir: defaultCacheDir(), ...definedOnly(options) }
  const claim = await readClaimedSize(read).catch(() => null)
  const refused = claim ? claimRefusal(claim, size, settings.maxPixels) : null
  if (refused) throw new CannotOpenError(url, refused)

  const location = remoteLocation({ url, version: file.info.version, size })
  const probe = await pool.run<ProbeResult>({ kind: 'probe', path: location }).catch((error: Error) => {
    throw new CannotOpenError(url, plainCause(remoteCause(error, url)))
  })
  if (!probe.images[0]?.tiled) {
    throw new CannotOpenError(url, 'it is stored in strips too tall to read by range requests; make it a cloud-optimized GeoTIFF (gdal_translate -of COG)')
  }
  const output = probe.output
  const source: RemoteSource = { kind: 'url', url, size, lastModified, wholeBody }
  const base = rasterInfo(url, size, probe, 'tiled', output, settings.tileSize)
  const warnings = [...base.warnings]
  if (wholeBody) warnings.push(`The server ignores range requests: the whole file (${megabytes(size)}) was read at once`)
  const info = { ...base, name: nameOfUrl(url), warnings, source }
  const fileVersion = version ?? new FileVersion(url, remoteStampOf(file.info))
  // Every region of a remote file is decoded by geotiff.js; `probe.decoder` still says whether its
  // stored JPEG tiles are pictures libvips would read, and so sent as stored.
  const decoded: ProbeResult = { ...probe, decoder: 'geotiff' }
  const context: OpenContext = { path: location, version: fileVersion, probe: decoded, info, output, pool, backgroundPool, options: settings }
  const jpegLevels = jpegPassthroughLevels({ ...probe, levels: info.levels, tileSize: info.tileSize, autoOrient: false })
  // No stamp per tile (the worker cannot stat a server): the remote file checks the version of every answer.
  const reader = new RegionReader(regionSourceOf(location, decoded, output), info.levels, info.tileSize, pool, null, jpegLevels)
  const first = inPlaceOverviewLevel(context)
  let raster: Raster
  if (first < 0) {
    raster = new Raster(info, url, reader)
  } else {
    // The file's own overviews stop short: its coarse levels come from one read of the image they
    // would be made from (memory bounded by a stripe, each block fetched once), as for a local file.
    info.warnings.push(`${info.name} has no overviews for its coarse levels: they are made from one read of its ${megabytes(size)} from the server; add overviews (gdal_translate -of COG) to read only what is shown`)
    const build = new AbortController()
    const overview = decodeInPlaceOverview(context, first, build.signal)
    overview.catch(() => {}) // a failure serves those levels from the file itself
    const makeReader = (levels: SharedLevel[]): SharedReader => new SharedReader(info.levels, info.tileSize, levels, first, pool, output)
    raster = new Raster(info, url, new OverviewWhenReadyReader(reader, first, overview, makeReader))
    raster.onClose(() => build.abort())
  }
  raster.checkFile(fileVersion)
  await prefetchTiles(raster, file, reader, first, new RemoteTileBytes(location, (job) => pool.run<BlockIndex>(job)), pagesOf(decoded))
  raster.onClose(() => lease.release())
  return raster
}

/**
 * The bytes of a scheduled tile fetched at once (`remotePrefetch.ts`): the blocks its region job will
 * read (`remoteTileBytes.ts`). Not for the levels served from the in-place overview (from `first`,
 * when it is made): those never read the file tile by tile.
 */
async function prefetchTiles(raster: Raster, file: RemoteFile, reader: RegionReader, first: number, tileBytes: RemoteTileBytes, pages: number[]): Promise<void> {
  // Where the pages' blocks are stored, read before the first tile is asked for (one job per page,
  // in the probes' place in line): a view's tiles scheduled at once are then fetched together.
  // Without it the tiles are fetched by their decodes, one by one.
  if (!(await tileBytes.load(pages))) return
  const prefetcher = new RemotePrefetcher((ranges, signal) => file.readRanges(ranges, signal))
  raster.prefetchWith((level, col, row, signal, urgency) => {
    if (first >= 0 && level >= first) return
    prefetcher.prefetch(() => tileBytes.rangesOf(reader.regionJob(level, col, row)), signal, urgency ?? { priority: ImageLoadPriority.NORMAL, rank: 0 })
  })
  raster.onClose(() => prefetcher.close())
}

/** The pages of the file that serve levels and masks (not those of another file or a sub-IFD). */
function pagesOf(probe: ProbeResult): number[] {
  const selectors = [...probe.images, ...probe.masks].map((image) => image.selector)
  return [...new Set(selectors.filter((s) => s.file === undefined && s.subifd === undefined).map((s) => s.page ?? 0))]
}

/** The cause of a remote failure, without the "Cannot read <url>:" its message starts with. */
function remoteCause(error: unknown, url: string): string {
  if (error instanceof RemoteReadError) return error.reason
  const message = messageOf(error)
  for (const prefix of [`Cannot read ${url}: `, `Cannot open ${url}: `]) if (message.startsWith(prefix)) return message.slice(prefix.length)
  return message
}

function startsLikeTiff(head: Uint8Array): boolean {
  const signature = String.fromCharCode(...head.subarray(0, 4))
  return signature === 'II*\0' || signature === 'MM\0*' || signature === 'II+\0' || signature === 'MM\0+'
}

/** Why a body that is not a TIFF is refused: what the server said it is, and how it starts when that is text. */
function notTiffReason(head: Uint8Array, contentType: string | null): string {
  const answered = contentType ? `the server answered ${contentType}` : 'the server said no Content-Type'
  const text = String.fromCharCode(...head).replace(/[^\x20-\x7e]/g, '')
  const starts = text.length >= 4 && text.length >= head.length * 0.8 ? ` starting "${text.trim()}…"` : ''
  return `it is not a TIFF: ${answered}${starts}`
}

function megabytes(bytes: number): string {
  return bytes >= 1024 ** 2 ? `${(bytes / 1024 ** 2).toFixed(1)} MiB` : `${Math.ceil(bytes / 1024)} KiB`
}

/** Options without the keys given as undefined, so that they do not hide the defaults. */
function definedOnly<T extends object>(options: T): Partial<T> {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as Partial<T>
}
