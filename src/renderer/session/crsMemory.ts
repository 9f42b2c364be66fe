/**
 * The CRS a person set for a file (Set CRS…), remembered for that file: opened again (dropped
 * again, another day), it is placed as the person said. A file is known by its name and size (a
 * dropped file's path is not known to the page); the memory is the page's storage, so that it
 * survives a restart. Storage that fails (private mode, quota) just forgets.
 */
import type { CrsInfo } from '../../shared/raster'

/** The part of the Web Storage API the memory uses. */
export interface CrsStore {
  getItem(key: string): string | null
  setItem(key: string, value: string): void
  removeItem(key: string): void
}

/** Key of a file's CRS in the store. */
export function crsMemoryKey(file: { name: string; fileSize: number }): string {
  return `tessera.crs:${file.name}:${file.fileSize}`
}

export class CrsMemory {
  constructor(private readonly store: CrsStore | null) {}

  /** The CRS set for this file, or null. A stored value that is not a CRS is forgotten. */
  recall(file: { name: string; fileSize: number }): CrsInfo | null {
    try {
      const text = this.store?.getItem(crsMemoryKey(file))
      if (!text) return null
      const crs = JSON.parse(text) as Partial<CrsInfo>
      if (typeof crs.id !== 'string' || typeof crs.name !== 'string' || (crs.proj4 !== null && typeof crs.proj4 !== 'string')) {
        this.store?.removeItem(crsMemoryKey(file))
        return null
      }
      return { id: crs.id, epsg: typeof crs.epsg === 'number' ? crs.epsg : null, proj4: crs.proj4 ?? null, name: crs.name, source: 'manual' }
    } catch {
      return null
    }
  }

  /** Remembers the CRS set for this file. */
  remember(file: { name: string; fileSize: number }, crs: CrsInfo): void {
    try {
      this.store?.setItem(crsMemoryKey(file), JSON.stringify(crs))
    } catch {
      // A full or forbidden storage: the choice holds for this session only.
    }
  }
}
