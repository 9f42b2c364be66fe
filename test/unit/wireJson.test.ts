import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { fromWireJson, toWireJson } from '../../src/shared/wireJson'

describe('wire JSON', () => {
  it('carries NaN and infinities through, at any depth', () => {
    const value = { noData: NaN, levels: [{ min: -Infinity, max: Infinity }], name: 'NaN', nested: [[{ x: NaN }]] }
    const back = fromWireJson(toWireJson(value)) as typeof value
    expect(back.noData).toBeNaN()
    expect(back.levels[0]).toEqual({ min: -Infinity, max: Infinity })
    expect(back.name).toBe('NaN')
    expect(back.nested[0]![0]!.x).toBeNaN()
  })

  it('reads a message nested far deeper than a recursive reviver could (a hostile frame), as JSON.parse does', () => {
    const depth = 200_000
    const deep = '['.repeat(depth) + ']'.repeat(depth)
    expect(() => fromWireJson(deep)).not.toThrow()
    const spelled = '['.repeat(depth) + '{"$numberDouble":"NaN"}' + ']'.repeat(depth)
    let inner = fromWireJson(spelled)
    for (let i = 0; i < depth; i++) inner = (inner as unknown[])[0]
    expect(inner).toBeNaN()
  })

  it('leaves objects that only look alike as they are', () => {
    expect(fromWireJson('{"$numberDouble":"7"}')).toEqual({ $numberDouble: '7' })
    expect(fromWireJson('{"$numberDouble":"NaN","other":1}')).toEqual({ $numberDouble: 'NaN', other: 1 })
  })

  it('reads back what it writes, for any JSON value with non-finite numbers', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const back = fromWireJson(toWireJson({ v, n: [NaN, Infinity, -Infinity] })) as { v: unknown; n: number[] }
        // As plain JSON reads it back (JSON writes −0 as 0), and the non-finite numbers as they were.
        expect(back.v).toEqual(JSON.parse(JSON.stringify(v)))
        expect(back.n).toEqual([NaN, Infinity, -Infinity])
      }),
      { numRuns: 200 }
    )
  })
})
