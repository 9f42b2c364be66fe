/**
 * What Tessera reads, by file extension: the one list that the browser's file picker
 * (`DropZone`'s accept) and Electron's File > Open dialog filter on (issue 22: the filter left
 * formats out, and nobody knew what Tessera reads). No Node, no DOM.
 */

/** The formats Tessera reads, and their extensions (lower case, without the dot). */
export const READABLE_FORMATS: ReadonlyArray<{ name: string; extensions: readonly string[] }> = [
  { name: 'TIFF / GeoTIFF', extensions: ['tif', 'tiff'] },
  { name: 'PNG', extensions: ['png'] },
  { name: 'JPEG', extensions: ['jpg', 'jpeg'] },
  { name: 'WebP', extensions: ['webp'] },
  { name: 'AVIF', extensions: ['avif'] },
  { name: 'HEIF', extensions: ['heic', 'heif'] },
  { name: 'GIF', extensions: ['gif'] },
  { name: 'SVG', extensions: ['svg'] },
  { name: 'ESRI ASCII grid', extensions: ['asc'] }
]

/** Every readable extension, lower case, without the dot. */
export const READABLE_EXTENSIONS: readonly string[] = READABLE_FORMATS.flatMap((format) => format.extensions)

/** An `<input type=file>` accept list of the readable extensions (".tif,.tiff,…"). */
export function acceptList(): string {
  return READABLE_EXTENSIONS.map((extension) => `.${extension}`).join(',')
}

/**
 * The extensions of an open dialog's filter, each in lower and upper case: GTK's dialog (Electron
 * on Linux) matches them case-sensitively, and cameras and GIS exports write "DEM.TIF".
 */
export function dialogExtensions(): string[] {
  return READABLE_EXTENSIONS.flatMap((extension) => [extension, extension.toUpperCase()])
}
