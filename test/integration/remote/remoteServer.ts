/**
 * The fixture of the remote-file tests: a GDAL-written COG in a served folder, Debian's nginx
 * serving it (with a max_ranges 0 path and a secure_link path), the fault proxy in front of nginx,
 * and a private block cache and host limit per test so that tests do not share state. nginx and
 * GDAL are required: without them every test fails with the reason.
 */
import { readFileSync } from 'node:fs'
import { afterAll, afterEach, beforeAll } from 'vitest'
import { BlockCache, HostLimiter, type RemoteFile, type RemoteOptions } from '../../../src/main/remote'
import { startFaultProxy, type FaultProxy } from '../../helpers/faultProxy'
import * as gdal from '../../helpers/gdal'
import { tempDir } from '../../helpers/images'
import { noRangeLocation, requireNginx, secureLinkLocation, startNginx, type NginxServer } from '../../helpers/nginx'

export const SIGNING_SECRET = 'tessera-test-secret'

export interface RemoteServer {
  tmp: ReturnType<typeof tempDir>
  nginx: () => NginxServer
  proxy: () => FaultProxy
  /** The COG's bytes on disk. */
  cog: () => Buffer
  /** Its name in the served folder. */
  cogName: string
  /** Files opened by the current test, closed after it. */
  opened: RemoteFile[]
  /**
   * Options with a private cache and host limit, short retry delays, 16 KiB blocks and no gap
   * merging (the block arithmetic these tests state), and `extra`.
   */
  opts: (extra?: RemoteOptions) => RemoteOptions
  /** The host limit of the current test. */
  limiter: () => HostLimiter
}

/** Registers the hooks of the fixture in the calling test file. */
export function useRemoteServer(name: string): RemoteServer {
  const tmp = tempDir(`tessera-${name}-`)
  const opened: RemoteFile[] = []
  let nginx: NginxServer | undefined
  let proxy: FaultProxy | undefined
  let cog: Buffer | undefined
  let limiter = new HostLimiter(6)
  const cogName = 'dem-cog.tif'
  beforeAll(async () => {
    requireNginx()
    gdal.requireGdal()
    // 1200² UInt16, DEFLATE, 256² tiles, overviews: about 3.6 MB of tiles of unequal sizes.
    await gdal.gdalRaster(tmp.dir, 'dem-cog', gdal.valueGrid(1200, 1200, 1, 'uint16', 5), ['-of', 'COG', '-co', 'COMPRESS=DEFLATE', '-co', 'BLOCKSIZE=256'])
    cog = readFileSync(tmp.file(cogName))
    nginx = await startNginx(tmp.dir, { locations: [noRangeLocation('/norange/'), secureLinkLocation('/signed/', SIGNING_SECRET)] })
    proxy = await startFaultProxy(nginx.port)
  })
  afterEach(() => {
    opened.splice(0).forEach((file) => file.close())
    proxy?.reset()
    nginx?.clearAccessLog()
    limiter = new HostLimiter(6)
  })
  afterAll(async () => {
    await proxy?.close()
    await nginx?.stop()
    tmp.cleanup()
  })
  return {
    tmp,
    nginx: () => nginx!,
    proxy: () => proxy!,
    cog: () => cog!,
    cogName,
    opened,
    limiter: () => limiter,
    opts: (extra = {}) => ({ cache: new BlockCache(64 * 1024 * 1024), hostLimiter: limiter, retryBaseDelayMs: 5, blockSize: 16 * 1024, mergeGapBytes: 0, ...extra })
  }
}
