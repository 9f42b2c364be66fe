/** `formatSniff` on a file on disk: its first bytes, and the side-cars beside it that name a format. */
import { existsSync } from 'node:fs'
import { open } from 'node:fs/promises'
import { basename, dirname, extname, join } from 'node:path'
import { SNIFF_BYTES, sniffFormat, sniffedReason } from './formatSniff'

/** Bytes read of a side-car header (an ENVI `.hdr` starts with "ENVI"). */
const SIDECAR_HEAD_BYTES = 16

/** Why the file at `path` is not read, naming its format, or null when its first bytes name none that Tessera knows of. */
export async function sniffedReasonOf(path: string): Promise<string | null> {
  const head = await readHead(path, SNIFF_BYTES)
  if (!head) return null
  const stem = join(dirname(path), basename(path, extname(path)))
  const siblings = new Map<string, Uint8Array | null>()
  for (const extension of ['.hdr', '.HDR']) siblings.set(extension, await readHead(`${stem}${extension}`, SIDECAR_HEAD_BYTES))
  const format = sniffFormat({
    head,
    name: path,
    hasSibling: (extension) => existsSync(`${stem}${extension}`) || existsSync(`${stem}${extension.toUpperCase()}`),
    siblingHead: (extension) => siblings.get(extension) ?? siblings.get(extension.toUpperCase()) ?? null
  })
  return format ? sniffedReason(format, path) : null
}

/** The first `length` bytes of a file (fewer when it is shorter), or null when it cannot be read. */
async function readHead(path: string, length: number): Promise<Uint8Array | null> {
  try {
    const handle = await open(path, 'r')
    try {
      const bytes = new Uint8Array(length)
      const { bytesRead } = await handle.read(bytes, 0, length, 0)
      return bytes.subarray(0, bytesRead)
    } finally {
      await handle.close()
    }
  } catch {
    return null
  }
}
