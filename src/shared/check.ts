/**
 * Field checkers for messages that cross the boundary: each takes an unknown value and the field's
 * name, and returns the value typed or throws a TesseraError('bad-message') that names the field,
 * sharp-style (`expectedMessage`). A call's parameters are a `Shape` of checkers (see `calls.ts`).
 */
import { TesseraError, expectedMessage } from './errors'

/** Checks one field: returns it typed, or throws a 'bad-message' TesseraError naming `name`. */
export type Check<T> = (value: unknown, name: string) => T

/** Checkers of an object's fields, by field name. */
export type Shape = Readonly<Record<string, Check<unknown>>>

/** The object a shape accepts. */
export type ShapeOf<S extends Shape> = { -readonly [K in keyof S]: S[K] extends Check<infer T> ? T : never }

/** Throws the 'bad-message' error of a field: `Expected <what> for <name> but received <value> of type <type>`. */
export function fail(what: string, name: string, value: unknown): never {
  throw new TesseraError('bad-message', expectedMessage(what, name, value))
}

/** A plain object (not null, not an array). */
export function record(value: unknown, name: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail('object', name, value)
  return value as Record<string, unknown>
}

/** Checks the fields of `shape` in `value`, in the shape's order; other fields are left out. */
export function checkShape<S extends Shape>(shape: S, value: Record<string, unknown>, prefix = ''): ShapeOf<S> {
  const checked: Record<string, unknown> = {}
  for (const [field, check] of Object.entries(shape)) checked[field] = check(value[field], prefix + field)
  return checked as ShapeOf<S>
}

/** A non-empty string of at most `maxLength` characters. */
export function text(maxLength: number): Check<string> {
  return (value, name) => {
    if (typeof value !== 'string' || value.length === 0 || value.length > maxLength) {
      fail(`non-empty string of at most ${maxLength} characters`, name, value)
    }
    return value
  }
}

/** An integer in 0…`max` (a safe integer when `max` is beyond 2^31). */
export function integer(max: number): Check<number> {
  return (value, name) => {
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0 || value > max) fail(`integer between 0 and ${max}`, name, value)
    return value
  }
}

/** One of a few strings. */
export function oneOf<T extends string>(...values: T[]): Check<T> {
  const what = values.length === 2 ? `'${values[0]}' or '${values[1]}'` : `one of ${values.map((v) => `'${v}'`).join(', ')}`
  return (value, name) => {
    if (!(values as unknown[]).includes(value)) fail(what, name, value)
    return value as T
  }
}

/** An array of at most `max` items (named `what` in the error), each checked as `name[i]`. */
export function arrayOf<T>(item: Check<T>, max: number, what: string): Check<T[]> {
  return (value, name) => {
    if (!Array.isArray(value) || value.length > max) fail(`array of at most ${max} ${what}`, name, value)
    return (value as unknown[]).map((v, i) => item(v, `${name}[${i}]`))
  }
}

/** Any string (an item of a list whose length is checked). */
export function anyString(what: string): Check<string> {
  return (value, name) => {
    if (typeof value !== 'string') fail(what, name, value)
    return value
  }
}
