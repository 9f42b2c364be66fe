/** How a failed tile's error reads for a person. Pure. */
import type { ErrorInfo } from '../../shared/errors'
import { isRetriedLater } from '../view/tileRetry'

/** A tile's error as a person reads it: without the internal tile key (a host named tile.… keeps its name). */
export function withoutTileKey(message: string, key: string): string {
  return message.split(key).join('').replace(/\s*\(tile\s*\)|\s*\btile\s*:?\s*(?=[,.;:](?:\s|$)|$)/g, '').replace(/\s{2,}/g, ' ').trim()
}

/**
 * A failed tile's error as a person reads it (`withoutTileKey`), saying that a tile whose server
 * failed for now ('unavailable') is asked for again while it is on screen: the hole is not for good.
 */
export function tileFailureText(error: ErrorInfo, key: string): string {
  const text = withoutTileKey(error.message, key)
  return isRetriedLater(error.code) ? `${text} (asked again while it is on screen)` : text
}
