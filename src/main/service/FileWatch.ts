/**
 * Tells when a file may have changed on disk. It watches the file's directory, not the file: an
 * editor that saves by writing a new file and renaming it over the old one, or a file deleted and
 * written again, replaces the inode that a watch on the file itself would follow. Events naming
 * other files are ignored. Where the directory cannot be watched, it polls. Events say "may have
 * changed" only: the caller compares stamps (`fileStamp.ts`) before acting.
 */
import { type FSWatcher, watch as fsWatch } from 'node:fs'
import { basename, dirname } from 'node:path'
import { platform } from 'node:os'

export interface FileWatchOptions {
  /** Interval of the polling fallback. */
  pollMs?: number
  /** `fs.watch`, replaceable by tests (e.g. by one that throws, to exercise the fallback). */
  watch?: typeof fsWatch
}

export class FileWatch {
  static readonly defaultOptions = { pollMs: 1000, watch: fsWatch }

  private watcher: FSWatcher | null = null
  private poller: ReturnType<typeof setInterval> | null = null
  private closed = false
  private readonly name: string

  /** Starts watching `path`; `onEvent` is called (often several times per change) until `close()`. */
  constructor(
    readonly path: string,
    private readonly onEvent: () => void,
    options: FileWatchOptions = {}
  ) {
    const { pollMs, watch } = { ...FileWatch.defaultOptions, ...options }
    // Names compare case-insensitively where the file systems usually do.
    const fold = platform() === 'win32' || platform() === 'darwin' ? (s: string) => s.toLowerCase() : (s: string) => s
    this.name = fold(basename(path))
    const poll = (): void => {
      this.watcher?.close()
      this.watcher = null
      if (this.closed || this.poller) return
      this.poller = setInterval(() => this.onEvent(), pollMs)
    }
    try {
      this.watcher = watch(dirname(path), (_event, filename) => {
        // No name (some platforms): it may be ours.
        if (!this.closed && (filename === null || fold(String(filename)) === this.name)) this.onEvent()
      })
      // The directory itself went away, or the watch broke: keep noticing by polling.
      this.watcher.on('error', () => {
        poll()
        this.onEvent()
      })
    } catch {
      poll()
    }
  }

  /** True while it polls instead of watching. */
  get polling(): boolean {
    return this.poller !== null
  }

  /** Stops watching and polling. Idempotent. */
  close(): void {
    this.closed = true
    this.watcher?.close()
    this.watcher = null
    if (this.poller) clearInterval(this.poller)
    this.poller = null
  }
}
