/**
 * Main side of the rasters read from servers: one RemoteFile (`src/main/remote`) per URL and
 * version, shared by every raster and connection that shows it, and the answers to the decode
 * workers' questions for their bytes (`read-ranges`, asked by `decode/remoteSource.ts`). A worker's
 * reads run under its job's signal: a withdrawn tile aborts its range requests (unless another
 * wanted tile waits for the same blocks), and a read of a file replaced on the server fails with a
 * FileChangedError, which the service handles as a changed local file (it reopens the raster).
 */
import type { Answer } from '../pool/workerMessages'
import { CannotOpenError, messageOf } from '../../shared/errors'
import { type RemoteFile, type RemoteFileInfo, RemoteFileChangedError, RemoteReadError, type RemoteOptions, openRemoteFile } from '../remote'
import { ServerUnavailableError, isServerUnavailable } from '../remote/errors'
import { type ByteRange, isReadRangesQuestion } from './decode/remoteLocation'
import { FileChangedError, type FileStamp } from './fileStamp'

/** Versions of files no raster holds that stay open (their cached blocks with them) for a raster opened next. */
const IDLE_KEPT = 8
/** Ranges of one question, at most (a region's blocks, a stripe of an overview). */
const MAX_RANGES = 65_536

interface Entry {
  file: RemoteFile
  leases: number
}

/** A version of a remote file held open for a raster until `release()`. */
export interface RemoteLease {
  readonly file: RemoteFile
  release(): void
}

export class RemoteFiles {
  /** By URL and version; in order of last use (idle ones first out). */
  private readonly entries = new Map<string, Entry>()

  constructor(private readonly options: RemoteOptions = {}) {}

  /**
   * `url` as the server has it now (one first GET): its RemoteFile, the one already open when that
   * version is. Rejects with the remote layer's error (naming the URL and the cause).
   */
  async current(url: string): Promise<RemoteFile> {
    const fresh = await openRemoteFile(url, this.options)
    const key = keyOf(url, fresh.info.version)
    const known = this.entries.get(key)
    if (known) {
      fresh.close()
      this.touch(key, known)
      return known.file
    }
    this.entries.set(key, { file: fresh, leases: 0 })
    this.closeIdle()
    return fresh
  }

  /** The open file of `url` at `version`, or null. */
  get(url: string, version: string): RemoteFile | null {
    return this.entries.get(keyOf(url, version))?.file ?? null
  }

  /** Every open version of `url` (the stats of its reads, for tests and the bench). */
  filesOf(url: string): RemoteFile[] {
    return [...this.entries.values()].map((entry) => entry.file).filter((file) => file.info.url === url)
  }

  /** Holds `url` at `version` open (null when it is not open: `current` first). */
  lease(url: string, version: string): RemoteLease | null {
    const key = keyOf(url, version)
    const entry = this.entries.get(key)
    if (!entry) return null
    entry.leases++
    this.touch(key, entry)
    let released = false
    return {
      file: entry.file,
      release: () => {
        if (released) return
        released = true
        entry.leases--
        this.closeIdle()
      }
    }
  }

  /** Closes every file (tests). */
  closeAll(): void {
    for (const entry of this.entries.values()) entry.file.close()
    this.entries.clear()
  }

  private touch(key: string, entry: Entry): void {
    this.entries.delete(key)
    this.entries.set(key, entry)
  }

  private closeIdle(): void {
    const idle = [...this.entries].filter(([, entry]) => entry.leases === 0)
    for (const [key, entry] of idle.slice(0, Math.max(0, idle.length - IDLE_KEPT))) {
      this.entries.delete(key)
      entry.file.close()
    }
  }
}

function keyOf(url: string, version: string): string {
  return `${version}\n${url}`
}

let shared: RemoteFiles | null = null

/** The process's remote files: the decode workers' questions are answered from them. */
export function sharedRemoteFiles(): RemoteFiles {
  return (shared ??= new RemoteFiles())
}

/** Closes the process's remote files, with the options of the next ones (tests: shorter timeouts). */
export function resetSharedRemoteFiles(options: RemoteOptions = {}): void {
  shared?.closeAll()
  shared = new RemoteFiles(options)
}

/**
 * What identifies a version of a file on a server, as a file's stamp does on disk: its size, its
 * date and the server's ETag or Last-Modified (`tag`), which alone says it was replaced.
 */
export function remoteStampOf(info: Pick<RemoteFileInfo, 'size' | 'lastModified' | 'version'>): FileStamp {
  const date = info.lastModified === null ? Number.NaN : Date.parse(info.lastModified)
  return { size: info.size, mtimeMs: Number.isFinite(date) ? date : 0, ino: 0, tag: info.version }
}

/**
 * The stamp of `url` on its server now; null when the server says the file is not there for us (a
 * 4xx other than 408 and 429: 404, 410, 403…). Rejects with a CannotOpenError naming the cause when
 * the server cannot say now (a 5xx, 408, 429, a reset, a timeout, a DNS failure…): a brief outage is
 * not a deletion, and a raster is not given up for it.
 */
export async function readRemoteStamp(url: string): Promise<FileStamp | null> {
  try {
    return remoteStampOf((await sharedRemoteFiles().current(url)).info)
  } catch (error) {
    if (error instanceof RemoteReadError && isAbsentStatus(error.status)) return null
    throw new CannotOpenError(url, error instanceof RemoteReadError ? error.reason : messageOf(error))
  }
}

/** A status by which a server says the file is not there for this request, for good (not "try again later"). */
function isAbsentStatus(status: number | null): boolean {
  return status !== null && status >= 400 && status < 500 && status !== 408 && status !== 429
}

/**
 * The answer to a decode worker's question (`PoolWorker.answer` of the decode pools): the bytes of
 * ranges of a remote file's version, one transferred buffer per range, read under the job's signal.
 */
export async function answerDecodeQuestion(question: unknown, signal: AbortSignal): Promise<Answer> {
  if (!isReadRangesQuestion(question)) throw new Error('The decode workers ask only for the bytes of a remote file (read-ranges)')
  const { url, version } = question
  const ranges = checkedRanges(question.ranges)
  const file = sharedRemoteFiles().get(url, version)
  if (!file) throw new Error(`${url} is no longer open`)
  let parts: Uint8Array[]
  try {
    parts = await file.readRanges(ranges, signal)
  } catch (error) {
    // Named as a changed local file's read is: the service reopens the raster.
    if (error instanceof RemoteFileChangedError) throw new FileChangedError(error.message)
    // Named for what it is (a worker keeps only an error's name): the tile fails 'unavailable', asked again later.
    if (isServerUnavailable(error)) throw new ServerUnavailableError((error as Error).message)
    throw error
  }
  // Copies: the parts may be views of the block cache, whose buffers must stay.
  const buffers = parts.map((part) => part.slice().buffer as ArrayBuffer)
  return { value: buffers, transfer: buffers }
}

function checkedRanges(ranges: unknown[]): ByteRange[] {
  if (ranges.length > MAX_RANGES) throw new Error(`A question asks for ${ranges.length} ranges, more than ${MAX_RANGES}`)
  return ranges.map((range) => {
    const { offset, length } = (range ?? {}) as Partial<ByteRange>
    if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset! < 0 || length! < 0) {
      throw new Error(`A byte range is an offset and a length, whole and not negative: ${JSON.stringify(range)}`)
    }
    return { offset: offset!, length: length! }
  })
}
