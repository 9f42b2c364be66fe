/**
 * The first pictures of a dropped file, decoded by the browser while the host opens it (issue 14):
 * a camera photo's EXIF thumbnail in a few milliseconds, then the file itself decoded straight to
 * the size the view shows it at. DOM (createImageBitmap, window); the parsing is pure, in
 * `previewSize.ts` and `exifThumbnail.ts`.
 */
import { exifThumbnail, thumbnailFits } from './exifThumbnail'
import { IMAGE_HEAD_BYTES, type PixelSize, previewSize, storedImageSize } from './previewSize'

/** Longest side of a dropped file's preview, in pixels, at most. */
const PREVIEW_MAX_SIDE = 2048

/**
 * The box a dropped file's preview fits in: the window in device pixels (a picture fitted to the
 * view is never shown larger while it stands in for its tiles), each side at least 256 and at most
 * PREVIEW_MAX_SIDE. Decoding a 4096² JPEG straight to its preview's size in one call took ~110 ms
 * where decoding it and then shrinking it to 2048² took ~170 ms; the smaller texture is also
 * quicker to upload in the frame that first shows it.
 */
function previewBox(): { width: number; height: number } {
  const ratio = window.devicePixelRatio || 1
  const side = (css: number): number => Math.max(256, Math.min(PREVIEW_MAX_SIDE, Math.ceil(css * ratio)))
  return { width: side(window.innerWidth), height: side(window.innerHeight) }
}

/** A picture the browser decodes itself (its first preview while the host opens it). */
export function browserDecodes(file: File): boolean {
  return /^image\/(jpeg|png|webp|gif)$/.test(file.type) || /\.(jpe?g|png|webp|gif)$/i.test(file.name)
}

/** A dropped file's first bytes, and its size as they say it (null: they do not). */
export interface FileHead {
  bytes: Uint8Array
  size: PixelSize | null
}

/** Reads the head of `file` (IMAGE_HEAD_BYTES) once, for its size and its EXIF thumbnail; empty if it cannot be read. */
export async function readFileHead(file: File): Promise<FileHead> {
  const bytes = new Uint8Array(await file.slice(0, IMAGE_HEAD_BYTES).arrayBuffer().catch(() => new ArrayBuffer(0)))
  return { bytes, size: storedImageSize(bytes) }
}

/** A picture of a dropped file, and the file's full size (what it is drawn over). */
export interface Picture {
  bitmap: ImageBitmap
  width: number
  height: number
}

/**
 * The EXIF thumbnail of a JPEG whose first bytes are `head`, decoded, with the photo's size; null
 * when it has none, or one whose shape is not the photo's (`thumbnailFits`).
 */
export async function decodeThumbnail(head: FileHead): Promise<Picture | null> {
  const { size } = head
  const range = size ? exifThumbnail(head.bytes) : null
  if (!size || !range) return null
  const thumbnail = new Blob([head.bytes.slice(range.offset, range.offset + range.length)], { type: 'image/jpeg' })
  const bitmap = await createImageBitmap(thumbnail, { imageOrientation: 'none' })
  if (!thumbnailFits(bitmap, size)) {
    bitmap.close()
    return null
  }
  return { bitmap, width: size.width, height: size.height }
}

/**
 * The file decoded by the browser at its preview's size (`previewBox`); its full size too.
 * The size is read from the file's header (`head`) first, so that one
 * `createImageBitmap` decodes and shrinks it off the main thread (issue 14: shrinking a full-size
 * bitmap in a second call ran on the main thread, 90-360 ms per file while several were dropped,
 * and held up their uploads). 'low' quality: a transient picture, ~30 ms cheaper than 'medium'
 * for a 4096² JPEG.
 */
export async function decodePreview(file: File, head: FileHead): Promise<Picture | null> {
  const { size } = head
  if (!size) return decodePreviewFull(file)
  const shown = previewSize(size, previewBox())
  // Pixels as stored (no EXIF turn): as the host reads them.
  const options: ImageBitmapOptions = { imageOrientation: 'none' }
  const bitmap = await createImageBitmap(
    file,
    shown.width === size.width && shown.height === size.height ? options : { ...options, resizeWidth: shown.width, resizeHeight: shown.height, resizeQuality: 'low' }
  )
  return { bitmap, width: size.width, height: size.height }
}

/** A file whose header says no size: decoded full size, then shrunk to its preview's size. */
async function decodePreviewFull(file: File): Promise<Picture | null> {
  // Pixels as stored (no EXIF turn): as the host reads them.
  const full = await createImageBitmap(file, { imageOrientation: 'none' })
  const { width, height } = full
  if (!(width > 0 && height > 0)) {
    full.close()
    return null
  }
  const shown = previewSize({ width, height }, previewBox())
  if (shown.width === width && shown.height === height) return { bitmap: full, width, height }
  try {
    const bitmap = await createImageBitmap(full, { resizeWidth: shown.width, resizeHeight: shown.height, resizeQuality: 'low' })
    return { bitmap, width, height }
  } finally {
    full.close()
  }
}
