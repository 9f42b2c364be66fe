/**
 * Where a decode job finds a raster read from a server: the jobs name their file by one string,
 * `path`, and a remote raster's is `remote:<version> <size> <url>`, which says which version of the
 * server's file the job reads (a worker's open GeoTIFF of an older version is never read for a
 * newer one) and its size, so that the worker asks the main thread (which alone fetches) for the
 * bytes of that version. No file path starts so (a path is absolute once a job names it).
 */

/** A version of a file on a server, as a decode job names it. */
export interface RemoteRef {
  /** The URL as the person gave it. */
  url: string
  /** The server's ETag or Last-Modified when the raster was opened ('' when it gave neither). */
  version: string
  /** Bytes, as the server said. */
  size: number
}

const PREFIX = 'remote:'

/** The `path` of the decode jobs of `ref`. */
export function remoteLocation(ref: RemoteRef): string {
  return `${PREFIX}${encodeURIComponent(ref.version)} ${ref.size} ${ref.url}`
}

/** The remote file a job's `path` names, or null for a path on disk. */
export function parseRemoteLocation(path: string): RemoteRef | null {
  if (!path.startsWith(PREFIX)) return null
  const match = /^remote:(\S*) (\d+) (.+)$/s.exec(path)
  if (!match) throw new Error(`A remote location reads remote:<version> <size> <url>, not ${path}`)
  return { version: decodeURIComponent(match[1]!), size: Number(match[2]), url: match[3]! }
}

/** True when a job's `path` names a file on a server. */
export function isRemoteLocation(path: string): boolean {
  return path.startsWith(PREFIX)
}

/** A byte range of a file. */
export interface ByteRange {
  offset: number
  length: number
}

/**
 * What a decode worker asks the main thread (`askMain`) for a remote raster: the bytes of `ranges`
 * of that version of the file, answered as one ArrayBuffer per range (transferred), shorter where
 * a range passes the end of the file.
 */
export interface ReadRangesQuestion {
  type: 'read-ranges'
  url: string
  version: string
  ranges: ByteRange[]
}

export function isReadRangesQuestion(question: unknown): question is ReadRangesQuestion {
  const q = question as Partial<ReadRangesQuestion> | null
  return typeof q === 'object' && q !== null && q.type === 'read-ranges' && typeof q.url === 'string' && typeof q.version === 'string' && Array.isArray(q.ranges)
}
