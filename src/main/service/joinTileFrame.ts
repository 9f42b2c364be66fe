import type { TileFrameParts } from './types'

/** The tile frame as one buffer (prefix then pixels), for transports that send one object per message. */
export function joinTileFrame({ prefix, pixels }: TileFrameParts): Uint8Array {
  const frame = new Uint8Array(prefix.byteLength + pixels.byteLength)
  frame.set(prefix, 0)
  frame.set(pixels, prefix.byteLength)
  return frame
}
