/** How a failed tile's error reads for a person. Pure. */

/** A tile's error as a person reads it: without the internal tile key (a host named tile.… keeps its name). */
export function withoutTileKey(message: string, key: string): string {
  return message.split(key).join('').replace(/\s*\(tile\s*\)|\s*\btile\s*:?\s*(?=[,.;:](?:\s|$)|$)/g, '').replace(/\s{2,}/g, ' ').trim()
}
