/**
 * claimedSize reads the size a header claims from its first bytes and refuses a claim beyond the
 * limits before anything decodes it (issue 22), in every container: striped, tiled and JPEG TIFF,
 * BigTIFF, PNG, JPEG, WebP (VP8X, VP8L, VP8) and GIF; files within the limits, and large TIFFs
 * read in place, pass.
 */
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { type ReadAt, claimRefusal, readClaimedSize } from '../../src/main/raster/claimedSize'
import { CLAIM_CAUSES, jpegClaiming, jpegTiffClaiming, pngClaimingSide, stripedTiffClaiming, tiledTiffClaiming, webpClaiming } from '../fixtures/bad/claims'

const LIMIT = 1_000_000_000
const readerOf = (bytes: Uint8Array): ReadAt => async (offset, length) => bytes.subarray(offset, offset + length)
const claimOf = (bytes: Uint8Array) => readClaimedSize(readerOf(bytes))
const refusalOf = async (bytes: Uint8Array): Promise<string | null> => {
  const claim = await claimOf(bytes)
  return claim && claimRefusal(claim, bytes.length, LIMIT)
}
const picture = (width: number, height: number) => sharp({ create: { width, height, channels: 3, background: '#808080' } })

describe('claimRefusal of the 200000² claims', () => {
  const cases: Array<[keyof typeof CLAIM_CAUSES, () => Promise<Uint8Array> | Uint8Array]> = [
    ['claim-striped-tiff', () => stripedTiffClaiming()],
    ['claim-tiled-tiff', () => tiledTiffClaiming()],
    ['claim-jpeg-tiff', () => jpegTiffClaiming()],
    ['claim-png', () => pngClaimingSide()],
    ['claim-jpeg', () => jpegClaiming()],
    ['claim-webp', () => webpClaiming()]
  ]
  for (const [name, make] of cases) {
    it(`${name}: refused naming its size and the limit (the CPU time is logged)`, async () => {
      const bytes = await make()
      const cpu = process.cpuUsage()
      const reason = await refusalOf(bytes)
      const used = process.cpuUsage(cpu)
      expect(reason).toMatch(CLAIM_CAUSES[name])
      console.log(`${name} (${bytes.length} bytes): ${((used.user + used.system) / 1000).toFixed(2)} ms CPU`)
    })
  }
})

describe('readClaimedSize', () => {
  it('reads the size of real PNG, JPEG (after its EXIF), GIF and WebP files (lossy VP8, lossless VP8L, VP8X with alpha)', async () => {
    expect(await claimOf(await picture(300, 200).png().toBuffer())).toEqual({ container: 'PNG', width: 300, height: 200 })
    expect(await claimOf(await picture(300, 200).jpeg().withMetadata({ exif: { IFD0: { Copyright: 'x'.repeat(5000) } } }).toBuffer())).toEqual({ container: 'JPEG', width: 300, height: 200 })
    expect(await claimOf(await picture(300, 200).gif().toBuffer())).toEqual({ container: 'GIF', width: 300, height: 200 })
    expect(await claimOf(await picture(301, 203).webp().toBuffer())).toEqual({ container: 'WebP', width: 301, height: 203 })
    expect(await claimOf(await picture(301, 203).webp({ lossless: true }).toBuffer())).toEqual({ container: 'WebP', width: 301, height: 203 })
    const alpha = await sharp({ create: { width: 301, height: 203, channels: 4, background: '#80808080' } }).webp().toBuffer()
    expect(await claimOf(alpha)).toEqual({ container: 'WebP', width: 301, height: 203 })
  })

  it('reads a TIFF’s strips and tiles, and a BigTIFF, as libtiff writes them', async () => {
    expect(await claimOf(await picture(600, 500).tiff({ compression: 'deflate' }).toBuffer())).toMatchObject({ container: 'TIFF', width: 600, height: 500, blocks: { tiled: false } })
    const tiled = await claimOf(await picture(600, 500).tiff({ tile: true, tileWidth: 256, tileHeight: 256 }).toBuffer())
    expect(tiled).toEqual({ container: 'TIFF', width: 600, height: 500, blocks: { tiled: true, width: 256, height: 256, needed: 6, listed: 6 } })
    expect(await claimOf(await picture(600, 500).tiff({ bigtiff: true } as never).toBuffer())).toMatchObject({ container: 'BigTIFF', width: 600, height: 500 })
  })

  it('says nothing of a format it does not read or a header cut short', async () => {
    expect(await claimOf(new TextEncoder().encode('CDF\x01'))).toBeNull()
    expect(await claimOf((await picture(30, 20).png().toBuffer()).subarray(0, 20))).toBeNull()
  })
})

describe('claimRefusal', () => {
  it('passes a claim within the limit', () => {
    expect(claimRefusal({ container: 'PNG', width: 30000, height: 30000 }, 1000, LIMIT)).toBeNull()
  })

  it('passes a tiled TIFF beyond the limit that lists all of its tiles (read in place), and one in strips short enough', () => {
    const blocks = { tiled: true, width: 256, height: 256, needed: 611524, listed: 611524 }
    expect(claimRefusal({ container: 'TIFF', width: 200000, height: 200000, blocks }, 5_000_000, LIMIT)).toBeNull()
    const strips = { tiled: false, width: 200000, height: 1, needed: 200000, listed: 200000 }
    expect(claimRefusal({ container: 'BigTIFF', width: 200000, height: 200000, blocks: strips }, 5_000_000, LIMIT)).toBeNull()
  })

  it('refuses short strips beyond the limit that its StripOffsets do not all list', () => {
    const strips = { tiled: false, width: 200000, height: 16, needed: 12500, listed: 1 }
    expect(claimRefusal({ container: 'TIFF', width: 200000, height: 200000, blocks: strips }, 138, LIMIT)).toMatch(/in 12500 strips of 200000×16, but its StripOffsets lists 1 \(the file is 138 bytes\)/)
  })
})
