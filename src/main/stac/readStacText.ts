/**
 * The bytes of one STAC document, from a server (the remote layer's whole GET: the process's
 * per-host limit, redirects, retries, timeouts) or from the host's disk, bounded in size. Every
 * failure is a StacDocumentError naming the document and the cause.
 */
import { stat, readFile } from 'node:fs/promises'
import { STAC_LIMITS } from '../../shared/stac'
import { RemoteReadError, isAbortError } from '../remote/errors'
import { httpGet } from '../remote/httpGet'
import { StacDocumentError } from './stacJson'
import { type StacLocation, locationText } from './stacLocation'

export interface StacTextOptions {
  /** Whether the host may read this path for the page (the browser host refuses paths). */
  mayReadPath(path: string): boolean
  signal?: AbortSignal
  /** Largest document read; default `STAC_LIMITS.maxDocumentBytes`. */
  maxBytes?: number
}

/** The text of the document at `location`. */
export async function readStacText(location: StacLocation, options: StacTextOptions): Promise<string> {
  const maxBytes = options.maxBytes ?? STAC_LIMITS.maxDocumentBytes
  const href = locationText(location)
  const tooLarge = (size: number | null): StacDocumentError =>
    new StacDocumentError(href, `the document is larger than ${mebibytes(maxBytes)}, the limit of a STAC document${size === null ? '' : ` (${mebibytes(size)})`}`)
  if (location.kind === 'path') {
    if (!options.mayReadPath(location.path)) throw new StacDocumentError(href, 'reading files by path is not allowed from this page: drop the document or give its URL')
    let size: number
    try {
      const info = await stat(location.path)
      if (!info.isFile()) throw new StacDocumentError(href, 'it is not a file')
      size = info.size
    } catch (error) {
      if (error instanceof StacDocumentError) throw error
      throw new StacDocumentError(href, fileFailure(error))
    }
    if (size > maxBytes) throw tooLarge(size)
    return readFile(location.path, 'utf8')
  }
  let answer: Awaited<ReturnType<typeof httpGet>>
  try {
    answer = await httpGet(location.url, { maxBytes, signal: options.signal, headers: { accept: 'application/json, application/geo+json;q=0.9, */*;q=0.1' } })
  } catch (error) {
    if (isAbortError(error)) throw error
    if (error instanceof RemoteReadError) throw error.reason.startsWith('the answer is larger') ? tooLarge(null) : new StacDocumentError(href, error.reason)
    throw new StacDocumentError(href, error instanceof Error ? error.message : String(error))
  }
  if (answer.status < 200 || answer.status > 299) throw new StacDocumentError(href, `HTTP ${answer.status} ${answer.statusText}`.trim())
  return new TextDecoder().decode(answer.body)
}

function mebibytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`
  if (bytes < 1024 ** 2) return `${+(bytes / 1024).toFixed(1)} KiB`
  return `${+(bytes / 1024 ** 2).toFixed(1)} MiB`
}

function fileFailure(error: unknown): string {
  const code = (error as { code?: string }).code
  if (code === 'ENOENT') return 'no such file'
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied'
  if (code === 'EISDIR') return 'it is a folder'
  return error instanceof Error ? error.message : String(error)
}
