/**
 * The recent-files list of the Electron app: most recent first, no duplicates, at most `limit`,
 * kept as JSON in the app's userData directory. A missing or corrupt file reads as an empty list.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'

export class RecentFiles {
  static readonly defaultOptions = { limit: 10, fileName: 'recent-files.json' }

  private readonly file: string
  private readonly limit: number
  private list: string[]

  /** `directory` is app.getPath('userData'). */
  constructor(directory: string, options: { limit?: number; fileName?: string } = {}) {
    this.limit = options.limit ?? RecentFiles.defaultOptions.limit
    this.file = join(directory, options.fileName ?? RecentFiles.defaultOptions.fileName)
    this.list = this.read()
  }

  /** The list, most recent first. */
  get paths(): readonly string[] {
    return this.list
  }

  /** Moves (or adds) `path` to the top, trims to the limit and saves. */
  add(path: string): void {
    this.list = [path, ...this.list.filter((p) => p !== path)].slice(0, this.limit)
    this.save()
  }

  /** Removes `path` (a file that no longer opens) and saves. */
  remove(path: string): void {
    this.list = this.list.filter((p) => p !== path)
    this.save()
  }

  clear(): void {
    this.list = []
    this.save()
  }

  private read(): string[] {
    try {
      const value: unknown = JSON.parse(readFileSync(this.file, 'utf8'))
      return Array.isArray(value) ? value.filter((p): p is string => typeof p === 'string').slice(0, this.limit) : []
    } catch {
      return []
    }
  }

  private save(): void {
    mkdirSync(dirname(this.file), { recursive: true })
    const temporary = `${this.file}.tmp`
    writeFileSync(temporary, JSON.stringify(this.list, null, 2))
    renameSync(temporary, this.file) // never a half-written list
  }
}
