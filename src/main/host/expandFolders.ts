/**
 * A folder given on the command line (`npm run serve -- scans/`, `tessera scans/`) stands for the
 * images in it: replaced, in place, by its image files (by extension; not its subfolders, hidden
 * files, world files or external overviews), sorted by name as a file manager lists them
 * (scan-2 before scan-10). Paths that are not folders (missing ones included), folders with
 * no image in them, and URLs (never looked up on disk) are kept as given: opening them says what
 * is wrong.
 */
import { readdirSync, statSync } from 'node:fs'
import { extname, join } from 'node:path'
import { urlSchemeOf } from '../raster/rasterUrl'

/** Extensions of the files a folder stands for (lower case, without the dot). */
export const IMAGE_EXTENSIONS: readonly string[] = ['tif', 'tiff', 'jpg', 'jpeg', 'png', 'webp', 'avif', 'gif', 'svg', 'heic', 'heif', 'asc']

const names = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' })

/** `paths` with each folder replaced by its image files, in name order. */
export function expandFolders(paths: readonly string[]): string[] {
  return paths.flatMap((path) => {
    const images = urlSchemeOf(path) === null && isFolder(path) ? imagesIn(path) : []
    return images.length > 0 ? images : [path]
  })
}

function imagesIn(folder: string): string[] {
  let entries
  try {
    entries = readdirSync(folder, { withFileTypes: true })
  } catch {
    return [folder] // unreadable: opening it reports why
  }
  return entries
    .filter((entry) => !entry.name.startsWith('.') && IMAGE_EXTENSIONS.includes(extname(entry.name).slice(1).toLowerCase()))
    .filter((entry) => entry.isFile() || (entry.isSymbolicLink() && isFile(join(folder, entry.name))))
    .map((entry) => entry.name)
    .sort(names.compare)
    .map((name) => join(folder, name))
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory()
  } catch {
    return false
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile()
  } catch {
    return false
  }
}
