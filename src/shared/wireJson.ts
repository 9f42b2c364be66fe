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

/** The value of JSON text written by `toWireJson` (plain JSON reads as `JSON.parse` reads it). Throws on text that does not parse. */
export function fromWireJson(text: string): unknown {
  return JSON.parse(text, (_key, v: unknown) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return v
    const spelled = (v as Record<string, unknown>)[KEY]
    if (typeof spelled !== 'string' || Object.keys(v).length !== 1) return v
    return spelled === 'NaN' ? Number.NaN : spelled === 'Infinity' ? Infinity : spelled === '-Infinity' ? -Infinity : v
  })
}
