/**
 * Temporary files for uploaded rasters (the browser host): each upload is written, chunk by chunk
 * and in order, to its own file under one directory `os.tmpdir()/tessera-uploads-*` that belongs
 * to this store, and the file is deleted when its raster is closed or the store is closed.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { mkdir, open, rm, type FileHandle } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { randomBytes } from 'node:crypto'
import { TesseraError, expectedMessage } from '../../shared/errors'

interface Upload {
  name: string
  size: number
  path: string
  handle: FileHandle
  received: number
  /** Writes run one after the other; `end` waits for the last. */
  chain: Promise<void>
  error: Error | null
}

/** Every store directory still on disk, so that a host can remove them all when the process exits. */
const liveDirectories = new Set<string>()

/** Removes every upload directory of this process synchronously (for `process.on('exit')`). */
export function removeAllUploadDirectoriesSync(): void {
  for (const dir of liveDirectories) rmSync(dir, { recursive: true, force: true })
  liveDirectories.clear()
}

/**
 * Uploads in progress at once on one connection. Each holds an open file: without a bound, a client
 * announcing uploads it never ends would exhaust the host's file descriptors. The renderer uploads
 * a dropped folder four files at a time, far below this.
 */
export const MAX_OPEN_UPLOADS = 64

/** Uploads of one connection. `close()` is idempotent and deletes every file it made. */
export class UploadStore {
  /** The directory holding this store's files. */
  readonly directory: string
  private readonly uploads = new Map<string, Upload>()
  private sequence = 0
  private closed = false

  constructor(root: string = tmpdir()) {
    this.directory = mkdtempSync(join(root, 'tessera-uploads-'))
    liveDirectories.add(this.directory)
  }

  /** Starts an upload of `size` bytes for a file named `name`; resolves with its id. */
  async begin(name: string, size: number): Promise<string> {
    this.ensureOpen()
    if (this.uploads.size >= MAX_OPEN_UPLOADS) {
      throw new TesseraError('overloaded', `Cannot start the upload of ${name}: ${MAX_OPEN_UPLOADS} uploads are already in progress on this connection`)
    }
    const uploadId = `u${++this.sequence}-${randomBytes(6).toString('hex')}`
    const dir = join(this.directory, String(this.sequence))
    await mkdir(dir)
    const path = join(dir, safeName(name))
    const handle = await open(path, 'w')
    this.uploads.set(uploadId, { name, size, path, handle, received: 0, chain: Promise.resolve(), error: null })
    return uploadId
  }

  /**
   * Queues the write of a chunk; chunks must come in order (offset = bytes received so far) and not
   * past the announced size. Throws a TesseraError('bad-message') otherwise.
   */
  write(uploadId: string, offset: number, bytes: Uint8Array): void {
    const upload = this.get(uploadId)
    if (offset !== upload.received) {
      throw new TesseraError('bad-message', expectedMessage(`offset ${upload.received}`, `the next chunk of ${upload.name}`, offset))
    }
    if (offset + bytes.byteLength > upload.size) {
      throw new TesseraError('bad-message', `Chunk at ${offset} of ${bytes.byteLength} bytes overruns the ${upload.size} bytes announced for ${upload.name}`)
    }
    upload.received += bytes.byteLength
    const copy = bytes.slice() // the socket may reuse its buffer
    upload.chain = upload.chain.then(async () => {
      if (upload.error) return
      try {
        await upload.handle.write(copy, 0, copy.byteLength, offset)
      } catch (error) {
        upload.error = error instanceof Error ? error : new Error(String(error))
      }
    })
  }

  /** The name the file of an upload in progress was given (a dropped file's own name), or undefined. */
  nameOf(uploadId: string): string | undefined {
    return this.uploads.get(uploadId)?.name
  }

  /** Waits for every write, closes the file and resolves with its path; rejects when bytes are missing. */
  async end(uploadId: string): Promise<string> {
    const upload = this.get(uploadId)
    this.uploads.delete(uploadId)
    await upload.chain
    await upload.handle.close().catch(() => undefined)
    if (upload.error || upload.received !== upload.size) {
      await this.remove(upload.path)
      if (upload.error) throw new TesseraError('open-failed', `Could not store upload of ${upload.name}: ${upload.error.message}`)
      throw new TesseraError('bad-message', `Upload of ${upload.name} ended after ${upload.received} of ${upload.size} bytes`)
    }
    return upload.path
  }

  /** Deletes a file this store made (and its directory). Never throws. */
  async remove(path: string): Promise<void> {
    if (!path.startsWith(this.directory)) return
    await rm(join(path, '..'), { recursive: true, force: true }).catch(() => undefined)
  }

  /** Aborts every upload and deletes every file of this store. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    const open = [...this.uploads.values()]
    this.uploads.clear()
    await Promise.allSettled(open.map(async (u) => { await u.chain; await u.handle.close() }))
    await rm(this.directory, { recursive: true, force: true }).catch(() => undefined)
    liveDirectories.delete(this.directory)
  }

  private get(uploadId: string): Upload {
    const upload = this.uploads.get(uploadId)
    if (!upload) throw new TesseraError('bad-message', expectedMessage('an upload id from upload-begin', 'uploadId', uploadId))
    return upload
  }

  private ensureOpen(): void {
    if (this.closed) throw new TesseraError('internal', 'The upload store is closed')
  }
}

function safeName(name: string): string {
  const base = basename(name.replace(/\\/g, '/')).replace(/[^\w.\- ()]/g, '_').slice(0, 200)
  return base === '' || base === '.' || base === '..' ? 'upload' : base
}
