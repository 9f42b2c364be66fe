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

/** A checker of a field that may be absent: `undefined` passes, and `checkShape` leaves the field out. */
export interface OptionalCheck<T> extends Check<T | undefined> {
  readonly optional: true
}

type Checked<C> = C extends Check<infer T> ? T : never
type Flat<T> = { [K in keyof T]: T[K] }

/** The object a shape accepts; a field checked by an `optional(…)` checker is an optional property. */
export type ShapeOf<S extends Shape> = Flat<
  { -readonly [K in keyof S as S[K] extends OptionalCheck<unknown> ? never : K]: Checked<S[K]> } & {
    -readonly [K in keyof S as S[K] extends OptionalCheck<unknown> ? K : never]?: Exclude<Checked<S[K]>, undefined>
  }
>

/** Throws the 'bad-message' error of a field: `Expected <what> for <name> but received <value> of type <type>`. */
export function fail(what: string, name: string, value: unknown): never {
  throw new TesseraError('bad-message', expectedMessage(what, name, value))
}

/** A plain object (not null, not an array). */
export function record(value: unknown, name: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail('object', name, value)
  return value as Record<string, unknown>
}

/** Checks the fields of `shape` in `value`, in the shape's order; other fields are left out, and so are absent optional ones. */
export function checkShape<S extends Shape>(shape: S, value: Record<string, unknown>, prefix = ''): ShapeOf<S> {
  const checked: Record<string, unknown> = {}
  for (const [field, check] of Object.entries(shape)) {
    const fieldValue = check(value[field], prefix + field)
    if (fieldValue !== undefined || !isOptional(check)) checked[field] = fieldValue
  }
  return checked as ShapeOf<S>
}

/** An object whose fields `fields` checks, each named `<name>.<field>`; other fields are left out. */
export function shape<S extends Shape>(fields: S): Check<ShapeOf<S>> {
  return (value, name) => checkShape(fields, record(value, name), `${name}.`)
}

/** `check`, or nothing: the field may be absent (`undefined`). */
export function optional<T>(check: Check<T>): OptionalCheck<T> {
  const checkPresent: Check<T | undefined> = (value, name) => (value === undefined ? undefined : check(value, name))
  return Object.assign(checkPresent, { optional: true as const })
}

/** `check`, or null. */
export function nullable<T>(check: Check<T>): Check<T | null> {
  return (value, name) => (value === null ? null : check(value, name))
}

function isOptional(check: Check<unknown>): check is OptionalCheck<unknown> {
  return (check as Partial<OptionalCheck<unknown>>).optional === true
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

/** True or false. */
export const boolean: Check<boolean> = (value, name) => {
  if (typeof value !== 'boolean') fail('boolean', name, value)
  return value
}

/** Any number, NaN and infinities included (a no-data value, a statistic). */
export const anyNumber: Check<number> = (value, name) => {
  if (typeof value !== 'number') fail('number', name, value)
  return value
}

/** A finite number in `min`…`max`. */
export function between(min: number, max: number): Check<number> {
  return (value, name) => {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) fail(`number between ${min} and ${max}`, name, value)
    return value
  }
}

/** Any string (an item of a list whose length is checked). */
export function anyString(what: string): Check<string> {
  return (value, name) => {
    if (typeof value !== 'string') fail(what, name, value)
    return value
  }
}
