/**
 * Which images of a TIFF are levels of its pyramid: reductions of the first by a power of two.
 * Pure, shared by the readers and by what is decided at open (`jpegPassthrough.ts`).
 */
import type { ImageSelector } from './decode/jobs'

/** An image of a file that serves as pyramid level `scale` (its size is level 0's / 2^scale, rounded either way). */
export interface LevelImage {
  selector: ImageSelector
  width: number
  height: number
  scale: number
}

/** Images that are reductions of the first by a power of two (within rounding), finest first; others (masks, thumbnails of other sizes) are left out. */
export function levelImages<I extends { selector: ImageSelector; width: number; height: number }>(images: readonly I[]): (I & LevelImage)[] {
  const [first] = images
  if (!first) return []
  const levels: (I & LevelImage)[] = []
  for (const image of images) {
    const scale = Math.round(Math.log2(first.width / image.width))
    const fits = (full: number, size: number): boolean => scale >= 0 && Math.abs(size - full / 2 ** scale) <= 1
    if (fits(first.width, image.width) && fits(first.height, image.height) && !levels.some((l) => l.scale === scale)) {
      levels.push({ ...image, scale })
    }
  }
  return levels.sort((a, b) => a.scale - b.scale)
}

