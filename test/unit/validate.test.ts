import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { TesseraError } from '../../src/shared/errors'
import { callIdOf, isCallMessage, validateClientMessage } from '../../src/shared/validate'

function errorOf(value: unknown): TesseraError {
  try {
    validateClientMessage(value)
  } catch (error) {
    if (error instanceof TesseraError) return error
    throw error
  }
  throw new Error('no error thrown')
}

describe('validateClientMessage', () => {
  it('accepts every call and notification of the protocol', () => {
    const messages = [
      { type: 'open', id: 1, path: '/data/a.tif' },
      { type: 'upload-begin', id: 2, name: 'a.png', size: 0 },
      { type: 'upload-end', id: 3, uploadId: 'u1-abc' },
      { type: 'close', id: 4, rasterId: 'r1' },
      { type: 'stats', id: 5 },
      { type: 'configure', id: 6, scheduling: 'fifo' },
      { type: 'request', rasterId: 'r1', tiles: [{ level: 0, col: 1, row: 2, priority: 1, rank: 0.5 }] },
      { type: 'cancel-obsolete', rasterId: 'r1', keep: ['r1/0/1/2'] }
    ]
    for (const message of messages) expect(validateClientMessage(message)).toEqual(message)
  })

  it('returns only the known fields', () => {
    expect(validateClientMessage({ type: 'stats', id: 1, extra: { huge: true } })).toEqual({ type: 'stats', id: 1 })
  })

  it('tells calls from notifications', () => {
    expect(isCallMessage(validateClientMessage({ type: 'stats', id: 1 }))).toBe(true)
    expect(isCallMessage(validateClientMessage({ type: 'cancel-obsolete', rasterId: 'r1', keep: [] }))).toBe(false)
  })

  it('names the field, the value and its type in the error, sharp-style', () => {
    expect(errorOf('hello').message).toBe('Expected object for message but received "hello" of type string')
    expect(errorOf({ type: 'open', id: -1, path: 'a' }).message).toBe('Expected non-negative integer for id but received -1 of type number')
    expect(errorOf({ type: 'request', rasterId: 'r1', tiles: [{ level: 0, col: 0, row: 0, priority: 4 }] }).message).toBe(
      'Expected priority 1, 2 or 3 for tiles[0].priority but received 4 of type number'
    )
    expect(errorOf({ type: 'request', rasterId: 'r1', tiles: [{ level: 0, col: 1.5, row: 0, priority: 1 }] }).message).toBe(
      'Expected integer between 0 and 2147483648 for tiles[0].col but received 1.5 of type number'
    )
    expect(errorOf({ type: 'cancel-obsolete', rasterId: 'r1', keep: ['a', 3] }).message).toBe('Expected string tile key for keep[1] but received 3 of type number')
    expect(errorOf({ type: 'request', rasterId: 'r1', tiles: [{ level: 0, col: 0, row: 0, priority: 1, rank: Number.NaN }] }).message).toContain('for tiles[0].rank')
    expect(errorOf({ type: 'launch' }).code).toBe('bad-message')
  })

  it('refuses batches beyond its limits', () => {
    const tiles = Array.from({ length: 20_001 }, () => ({ level: 0, col: 0, row: 0, priority: 1 }))
    expect(errorOf({ type: 'request', rasterId: 'r1', tiles }).message).toContain('for tiles but received')
    expect(errorOf({ type: 'upload-begin', id: 1, name: 'a', size: 2 ** 60 }).message).toContain('for size')
  })

  it('finds the call id of a malformed call so that it can be answered', () => {
    expect(callIdOf({ type: 'open', id: 12, path: 3 })).toBe(12)
    expect(callIdOf({ type: 'open', id: 'x' })).toBeNull()
    expect(callIdOf(null)).toBeNull()
  })

  it('never throws anything but a bad-message TesseraError, whatever it receives', () => {
    fc.assert(
      fc.property(fc.anything(), (value) => {
        try {
          validateClientMessage(value)
        } catch (error) {
          return error instanceof TesseraError && error.code === 'bad-message'
        }
        return true
      }),
      { numRuns: 2000 }
    )
  })

  it('accepts every well-formed request and returns it unchanged', () => {
    const tile = fc.record(
      {
        level: fc.integer({ min: 0, max: 64 }),
        col: fc.integer({ min: 0, max: 2 ** 31 }),
        row: fc.integer({ min: 0, max: 2 ** 31 }),
        priority: fc.constantFrom(1, 2, 3),
        rank: fc.double({ noNaN: true, noDefaultInfinity: true })
      },
      { requiredKeys: ['level', 'col', 'row', 'priority'] }
    )
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 128 }), fc.array(tile, { maxLength: 50 }), (rasterId, tiles) => {
        expect(validateClientMessage({ type: 'request', rasterId, tiles })).toEqual({ type: 'request', rasterId, tiles })
      })
    )
  })
})
