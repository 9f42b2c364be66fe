/**
 * JSON as the WebSocket transport speaks it. JSON has no NaN nor infinities (`JSON.stringify`
 * writes null), yet a float raster's no-data is often NaN and must arrive as NaN, not as "no
 * no-data". Such numbers travel as `{"$numberDouble": "NaN" | "Infinity" | "-Infinity"}`, MongoDB's
 * Extended JSON spelling: an object of that one key is not something a message otherwise holds, so
 * no string (a file named "NaN") is ever mistaken for a number. Electron's structured clone carries
 * them as they are and needs none of this.
 */

const KEY = '$numberDouble'

/** `value` as JSON text, NaN and ±Infinity spelled as `{"$numberDouble": …}`. */
export function toWireJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? { [KEY]: String(v) } : v))
}

/**
 * The value of JSON text written by `toWireJson` (plain JSON reads as `JSON.parse` reads it). Throws
 * on text that does not parse. The spelled numbers are put back by a walk with its own stack, not
 * by a reviver: a reviver recurses, and a hostile message nested thousands deep (which JSON.parse
 * itself reads) overflowed the call stack and was answered as text that does not parse.
 */
export function fromWireJson(text: string): unknown {
  const value: unknown = JSON.parse(text)
  if (!text.includes(KEY)) return value
  const root = { value }
  const stack: Array<Record<string, unknown> | unknown[]> = [root]
  while (stack.length > 0) {
    const holder = stack.pop()!
    for (const key of Object.keys(holder)) {
      const v = (holder as Record<string, unknown>)[key]
      if (typeof v !== 'object' || v === null) continue
      const number = spelledNumber(v)
      if (number !== undefined) (holder as Record<string, unknown>)[key] = number
      else stack.push(v as Record<string, unknown> | unknown[])
    }
  }
  return root.value
}

/** The number an object of the one key `$numberDouble` spells, or undefined for any other value. */
function spelledNumber(v: object): number | undefined {
  if (Array.isArray(v)) return undefined
  const spelled = (v as Record<string, unknown>)[KEY]
  if (typeof spelled !== 'string' || Object.keys(v).length !== 1) return undefined
  return spelled === 'NaN' ? Number.NaN : spelled === 'Infinity' ? Infinity : spelled === '-Infinity' ? -Infinity : undefined
}
