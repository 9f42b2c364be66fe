/** URLs on the host's command line (issue 24): kept as URLs, never resolved as paths; paths still resolved. */
import { describe, expect, it } from 'vitest'
import { parseServeArgs } from '../../src/main/host/args'
import { filesFromArgv } from '../../src/main/host/appArgs'
import { isHttpUrl, nameOfUrl, urlSchemeOf } from '../../src/main/raster/rasterUrl'

describe('URLs given to the host', () => {
  it('npm run serve -- <url> keeps the URL beside resolved paths', () => {
    const args = parseServeArgs(['https://data.example/dem.tif?sig=a%2Fb', 'local.tif', 'ftp://x/y.tif'], '/work')
    expect(args.files).toEqual(['https://data.example/dem.tif?sig=a%2Fb', '/work/local.tif', 'ftp://x/y.tif'])
  })

  it("the app's arguments keep a URL as given", () => {
    expect(filesFromArgv(['electron', '.', 'http://127.0.0.1:8080/a.tif', 'b.tif'], { defaultApp: true, cwd: '/w' })).toEqual(['http://127.0.0.1:8080/a.tif', '/w/b.tif'])
  })

  it('tells URLs from paths, and names a URL by its last path segment', () => {
    expect([isHttpUrl('HTTPS://x/a.tif'), isHttpUrl('/data/http://x'), isHttpUrl('file:///a.tif')]).toEqual([true, false, false])
    expect([urlSchemeOf('file:///etc/passwd'), urlSchemeOf('C:\\data\\a.tif'), urlSchemeOf('/tmp/a.tif'), urlSchemeOf('s3://bucket/a.tif')]).toEqual(['file:', null, null, 's3:'])
    expect([nameOfUrl('https://x.test/cogs/dem%20v2.tif?X-Amz-Signature=abc'), nameOfUrl('https://x.test/')]).toEqual(['dem v2.tif', 'x.test'])
  })
})
