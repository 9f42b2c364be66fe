/**
 * What a web map tile's body is, read from its header alone (PNG IHDR, JPEG SOFn, WebP
 * VP8/VP8L/VP8X, by `raster/claimedSize.ts`): the encoding a renderer may decode itself and the
 * size the image says it has. A tile is sent as the server's bytes only when both are what was
 * asked for; anything else (a GIF, a TIFF, a ServiceException, an HTML page, a truncated header)
 * says null and goes through the host's decode, which refuses it in words.
 */
import type { TileEncoding } from '../../shared/protocol'
import { readClaimedSize } from '../raster/claimedSize'

export interface TileImageHeader {
  encoding: TileEncoding
  width: number
  height: number
}

const ENCODING_OF = { PNG: 'png', JPEG: 'jpeg', WebP: 'webp' } as const satisfies Record<string, TileEncoding>

/** The encoding and size `body`'s header states, or null when it is not a PNG, JPEG or WebP that says its size. */
export async function tileImageHeader(body: Uint8Array): Promise<TileImageHeader | null> {
  const claim = await readClaimedSize(async (offset, length) => body.subarray(offset, offset + length))
  if (!claim || !(claim.container in ENCODING_OF)) return null
  const encoding = ENCODING_OF[claim.container as keyof typeof ENCODING_OF]
  if (!(claim.width > 0 && claim.height > 0)) return null
  return { encoding, width: claim.width, height: claim.height }
}
