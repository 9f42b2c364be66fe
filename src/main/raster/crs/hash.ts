/**
 * A short stable hash of a text: 64-bit FNV-1a over its UTF-16 code units, 12 hex digits. The same
 * text gives the same hash in every process and run (a user-defined CRS's id, `CUSTOM:<hash>`).
 */
const OFFSET = 0xcbf29ce484222325n
const PRIME = 0x100000001b3n
const MASK = (1n << 64n) - 1n

/** 12 hex digits of the text's 64-bit FNV-1a hash. */
export function shortHash(text: string): string {
  let hash = OFFSET
  for (let i = 0; i < text.length; i++) {
    hash ^= BigInt(text.charCodeAt(i))
    hash = (hash * PRIME) & MASK
  }
  return hash.toString(16).padStart(16, '0').slice(0, 12)
}
