/**
 * Judging an answer's status and headers against the range asked, before its body is read: a 206
 * must say exactly the bytes asked (clamped to the file's end) of the file's known size and
 * version; a 200 is the whole file, read only when small enough. Pure: tests call it alone.
 */
import { RemoteFileChangedError, RemoteReadError, isRetriableStatus, statusText } from './errors'
import { parseRetryAfter } from './backoff'

/** Bytes [start, end) asked of the server. */
export interface AskedRange {
  start: number
  end: number
}

/** What the file was when it opened; null for the first GET. */
export interface KnownFile {
  size: number
  etag: string | null
  lastModified: string | null
}

/** What the body will be: exactly `length` bytes of the file from `start`, or the whole file. */
export type ExpectedBody =
  | { whole: false; start: number; length: number; size: number }
  | { whole: true; length: number | null }

/** Content encodings that Node's fetch decodes itself; their decoded length is checked like any. */
const DECODED_ENCODINGS = new Set(['identity', 'gzip', 'x-gzip', 'deflate', 'br'])

const MiB = 1024 * 1024

/** The version key of an answer: its ETag, else its Last-Modified, else ''. */
export function versionOf(headers: Headers): string {
  return headers.get('etag') ?? headers.get('last-modified') ?? ''
}

/** True when the answer's body is encoded (gzip…): its Content-Length then counts the encoded bytes. */
export function isEncoded(headers: Headers): boolean {
  const encoding = (headers.get('content-encoding') ?? 'identity').trim().toLowerCase()
  return encoding !== '' && encoding !== 'identity'
}

/**
 * What the answer's body must be, or the error to give: HTTP errors (retriable ones marked), a
 * Content-Range that is not the range asked, another version or size than the file opened
 * (RemoteFileChangedError), a whole file past `wholeBodyLimit`, an encoding fetch does not decode.
 */
export function judgeAnswer(
  url: string,
  status: number,
  phrase: string,
  headers: Headers,
  asked: AskedRange,
  known: KnownFile | null,
  wholeBodyLimit: number
): ExpectedBody {
  if (status !== 200 && status !== 206 && status !== 416) {
    const retriable = isRetriableStatus(status)
    const retryAfter = retriable ? parseRetryAfter(headers.get('retry-after')) : null
    return fail(new RemoteReadError(url, 'http-status', `HTTP ${statusText(status, phrase)}`, retriable, retryAfter, status))
  }
  const encoding = (headers.get('content-encoding') ?? 'identity').trim().toLowerCase() || 'identity'
  if (!DECODED_ENCODINGS.has(encoding)) {
    return fail(new RemoteReadError(url, 'bad-answer', `the server encoded its answer as "${encoding}", which Tessera does not decode`))
  }
  if (known) checkVersion(url, headers, known)
  const contentRange = headers.get('content-range')
  if (status === 416) {
    const total = /^bytes \*\/(\d+)$/i.exec(contentRange?.trim() ?? '')
    const size = total ? Number(total[1]) : null
    if (known && size !== null && size !== known.size) return fail(new RemoteFileChangedError(url, `its size ${known.size} became ${size}`))
    if (size === 0) return fail(new RemoteReadError(url, 'bad-answer', 'the file is empty'))
    return fail(new RemoteReadError(url, 'bad-answer', `HTTP 416 Range Not Satisfiable for bytes ${asked.start}-${asked.end - 1}`))
  }
  if (status === 206) {
    const match = /^bytes (\d+)-(\d+)\/(\d+|\*)$/i.exec(contentRange?.trim() ?? '')
    if (!match) return fail(new RemoteReadError(url, 'bad-answer', `HTTP 206 with Content-Range "${contentRange ?? ''}" for bytes ${asked.start}-${asked.end - 1}`))
    if (match[3] === '*') return fail(new RemoteReadError(url, 'bad-answer', 'the server does not say the size of the file (Content-Range: …/*)'))
    const first = Number(match[1])
    const last = Number(match[2])
    const size = Number(match[3])
    if (known && size !== known.size) return fail(new RemoteFileChangedError(url, `its size ${known.size} became ${size}`))
    if (first !== asked.start || last !== Math.min(asked.end, size) - 1) {
      return fail(new RemoteReadError(url, 'bad-answer', `the server answered bytes ${first}-${last} for bytes ${asked.start}-${asked.end - 1}`))
    }
    const length = last - first + 1
    const declared = headers.get('content-length')
    if (!isEncoded(headers) && declared !== null && Number(declared) !== length) {
      return fail(new RemoteReadError(url, 'bad-answer', `the server's Content-Length ${declared} is not the ${length} bytes of its Content-Range`))
    }
    return { whole: false, start: first, length, size }
  }
  // 200: the server ignored the Range and sends the whole file.
  const declared = headers.get('content-length')
  const length = declared !== null && !isEncoded(headers) ? Number(declared) : null
  if (length !== null && known && length !== known.size) return fail(new RemoteFileChangedError(url, `its size ${known.size} became ${length}`))
  if (length !== null && length > wholeBodyLimit) return fail(rangeIgnored(url, length, wholeBodyLimit))
  return { whole: true, length }
}

/**
 * Throws RemoteFileChangedError when the answer's ETag differs from the one opened, or, when
 * either lacks an ETag, its Last-Modified does: an ETag is compared with an ETag only (a CDN that
 * drops it from one answer is no change), and an answer that says neither is trusted.
 */
function checkVersion(url: string, headers: Headers, known: KnownFile): void {
  const etag = headers.get('etag')
  if (etag !== null && known.etag !== null) {
    if (etag !== known.etag) fail(new RemoteFileChangedError(url, `version ${known.etag} became ${etag}`))
    return
  }
  const lastModified = headers.get('last-modified')
  if (lastModified !== null && known.lastModified !== null && lastModified !== known.lastModified) {
    fail(new RemoteFileChangedError(url, `last modified ${known.lastModified} became ${lastModified}`))
  }
}

/** The refusal of a server that ignores Range for a file larger than Tessera reads whole. */
export function rangeIgnored(url: string, length: number | null, wholeBodyLimit: number): RemoteReadError {
  const limit = wholeBodyLimit >= MiB ? `${(wholeBodyLimit / MiB).toFixed(0)} MiB` : `${wholeBodyLimit} bytes`
  const size = length === null ? 'sends more' : length >= MiB ? `the file is ${(length / MiB).toFixed(1)} MiB` : `the file is ${length} bytes`
  return new RemoteReadError(
    url,
    'range-ignored',
    `the server ignores Range requests (HTTP 200 with the whole file) and ${size}, more than the ${limit} Tessera reads whole`
  )
}

function fail(error: Error): never {
  throw error
}
