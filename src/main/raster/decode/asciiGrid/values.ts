/**
 * The values of an ASCII grid, read from bytes as GDAL's AAIGrid driver reads them: tokens
 * separated by any white space (rows need not be lines), a Float32 value being the double the
 * text denotes rounded to float (`(float)CPLAtofM`), an Int32 one `atoi`'s. A comma may be the
 * decimal point (CPLAtofM). Anything else in a token is refused by the caller, naming its line.
 */

/** Set by `parseNumber`: the token was not a number. */
export let invalidToken = false
/** Set by `parseNumber`: the token has a decimal point, a decimal comma or an exponent (GDAL then reads the grid as Float32). */
export let floatSyntax = false

const POWERS_OF_TEN = Array.from({ length: 23 }, (_, i) => 10 ** i)

/** Integer digits beyond which a mantissa may not be exact in a double: such tokens take the slow path. */
const FAST_DIGITS = 15

/**
 * The double that bytes[start, end) denote (correctly rounded, as strtod), or NaN with
 * `invalidToken` set. Clinger's fast path (a mantissa of at most 15 digits and a power of ten of at
 * most 22, one exact operand each: one IEEE operation, correctly rounded); `Number()` otherwise.
 * With `float32`, the value is only wanted rounded to float (a Float32 grid): longer mantissas take
 * a fast path too, and the float is returned.
 */
export function parseNumber(bytes: Uint8Array, start: number, end: number, float32 = false): number {
  invalidToken = false
  floatSyntax = false
  let i = start
  let negative = false
  let c = bytes[i]!
  if (c === 45) {
    negative = true
    i++
  } else if (c === 43) i++
  let mantissa = 0
  let significant = 0
  let digits = 0
  let scale = 0
  for (; i < end; i++) {
    const d = bytes[i]! - 48
    if (d < 0 || d > 9) break
    digits++
    if (mantissa !== 0 || d !== 0) significant++
    mantissa = mantissa * 10 + d
  }
  c = bytes[i]!
  if (i < end && (c === 46 || c === 44)) {
    floatSyntax = true
    for (i++; i < end; i++) {
      const d = bytes[i]! - 48
      if (d < 0 || d > 9) break
      digits++
      if (mantissa !== 0 || d !== 0) significant++
      mantissa = mantissa * 10 + d
      scale--
    }
  }
  if (digits === 0) return slowPath(bytes, start, end)
  c = bytes[i]!
  if (i < end && (c === 101 || c === 69)) {
    floatSyntax = true
    i++
    let exponentNegative = false
    if (bytes[i] === 45) {
      exponentNegative = true
      i++
    } else if (bytes[i] === 43) i++
    let exponent = 0
    let exponentDigits = 0
    for (; i < end; i++) {
      const d = bytes[i]! - 48
      if (d < 0 || d > 9) break
      exponentDigits++
      if (exponent < 100_000) exponent = exponent * 10 + d
    }
    if (exponentDigits === 0) return invalid()
    scale += exponentNegative ? -exponent : exponent
  }
  if (i !== end) return invalid()
  if (significant > FAST_DIGITS || scale < -22 || scale > 22) {
    if (!float32 || scale < -300 || scale > 300) return slowPath(bytes, start, end)
    // GDAL writes Float32 grids with 20 significant digits. The double computed here is within a
    // few units of the last place of the exact one; rounded to float it is the same float unless
    // the value lies within 1e-14 of halfway between two floats: checked, and then the slow path.
    const approximate = scale >= 0 ? mantissa * 10 ** scale : mantissa / 10 ** -scale
    const single = Math.fround(approximate)
    if (Math.fround(approximate * (1 + 1e-14)) !== single || Math.fround(approximate * (1 - 1e-14)) !== single) return slowPath(bytes, start, end)
    return negative ? -single : single
  }
  const value = scale >= 0 ? mantissa * POWERS_OF_TEN[scale]! : mantissa / POWERS_OF_TEN[-scale]!
  return negative ? -value : value
}

/** nan, inf, infinity (any case, signed), and numbers too long for the fast path. */
function slowPath(bytes: Uint8Array, start: number, end: number): number {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('latin1').replace(',', '.')
  const lower = text.toLowerCase()
  if (/^[+-]?nan$/.test(lower)) {
    floatSyntax = true
    return Number.NaN
  }
  if (/^[+-]?inf(inity)?$/.test(lower)) {
    floatSyntax = true
    return lower.startsWith('-') ? -Infinity : Infinity
  }
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/.test(lower)) return invalid()
  floatSyntax = /[.e]/.test(lower)
  return Number(text)
}

function invalid(): number {
  invalidToken = true
  return Number.NaN
}

/** True for the bytes C's isspace() accepts: space, \t, \n, \v, \f, \r. */
export function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13)
}

/** bytes[start, end) as text for a message, cut to 40 characters. */
export function tokenText(bytes: Uint8Array, start: number, end: number): string {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset + start, Math.min(end - start, 41)).toString('latin1')
  return text.length > 40 ? `${text.slice(0, 40)}…` : text
}
