/**
 * The line of a WorkerPool (`PoolLine`): jobs waiting for a worker when every worker is busy.
 * Probe < tile < decode, FIFO among equals; a long decode gives a freed worker to tiles for its
 * first DECODE_YIELD_MS in line, then goes before them. A pure class on a clock the test moves.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { DECODE_YIELD_MS, LinePriority, PoolLine, type LinePlace } from '../../src/main/pool/PoolLine'

/** A line on a clock that the test sets, and the clock. */
function lineAt(start = 1000, decodeYieldMs?: number): { line: PoolLine<string>; clock: { now: number } } {
  const clock = { now: start }
  return { line: new PoolLine<string>({ now: () => clock.now, decodeYieldMs }), clock }
}

function drain(line: PoolLine<string>): string[] {
  const out: string[] = []
  for (let item = line.shift(); item !== undefined; item = line.shift()) out.push(item)
  return out
}

describe('PoolLine', () => {
  it('starts probes before tiles, and tiles before decodes, whatever order they came in', () => {
    const { line } = lineAt()
    line.add('decode', 'decode')
    line.add('tile', 'tile')
    line.add('probe', 'probe')
    expect(drain(line)).toEqual(['probe', 'tile', 'decode'])
    expect(LinePriority.probe).toBeLessThan(LinePriority.tile)
    expect(LinePriority.tile).toBeLessThan(LinePriority.decode)
  })

  it('keeps jobs at the same place in the order they came', () => {
    const { line } = lineAt()
    for (const name of ['decode 1', 'probe 1', 'decode 2', 'probe 2']) line.add(name, name.startsWith('probe') ? 'probe' : 'decode')
    expect(line.length).toBe(4)
    expect(drain(line)).toEqual(['probe 1', 'probe 2', 'decode 1', 'decode 2'])
  })

  it('places a job given a number as the kind of that number, or between kinds', () => {
    const { line } = lineAt()
    line.add('decode', LinePriority.decode)
    line.add('between', 0.25)
    line.add('tile', 'tile')
    line.add('probe', LinePriority.probe)
    expect(drain(line)).toEqual(['probe', 'between', 'tile', 'decode'])
  })

  it('lets a decode that joined less than its yield time ago give a freed worker to tiles, and claim none', () => {
    const { line, clock } = lineAt(1000, 50)
    line.add('decode', 'decode')
    clock.now += 49
    expect(line.firstGivesWay(true)).toBe(true)
    expect(line.claimed(true)).toBe(0)
  })

  it('puts a decode that has waited its yield time before tiles again, claiming its worker', () => {
    const { line, clock } = lineAt(1000, 50)
    line.add('old decode', 'decode')
    clock.now += 30
    line.add('new decode', 'decode')
    clock.now += 20
    expect(line.firstGivesWay(true)).toBe(false)
    expect(line.claimed(true), 'the old decode claims a worker, the new one still gives way').toBe(1)
  })

  it(`gives way for DECODE_YIELD_MS (${DECODE_YIELD_MS} ms) unless told otherwise`, () => {
    const { line, clock } = lineAt()
    line.add('decode', 'decode')
    clock.now += DECODE_YIELD_MS - 1
    expect(line.firstGivesWay(true)).toBe(true)
    clock.now += 1
    expect(line.firstGivesWay(true)).toBe(false)
  })

  it("gives way to tiles only when someone takes the pool's free workers for tiles", () => {
    const { line } = lineAt()
    line.add('decode', 'decode')
    expect(line.firstGivesWay(false)).toBe(false)
    expect(line.claimed(false)).toBe(1)
  })

  it('never lets a probe, a tile or a job placed before decodes give way', () => {
    const { line } = lineAt()
    line.add('probe', 'probe')
    line.add('tile', 'tile')
    line.add('almost a decode', LinePriority.decode - 0.01)
    expect(line.claimed(true)).toBe(3)
    for (let n = 3; n > 0; n--) {
      expect(line.firstGivesWay(true)).toBe(false)
      line.shift()
    }
  })

  it('takes a removed job out of the line, and says whether it was in it', () => {
    const { line } = lineAt()
    line.add('a', 'probe')
    line.add('b', 'probe')
    expect(line.remove('a')).toBe(true)
    expect(line.remove('a')).toBe(false)
    expect(line.length).toBe(1)
    expect(drain(line)).toEqual(['b'])
  })

  it('empties the line on clear, first first, and an empty line neither gives way nor claims', () => {
    const { line } = lineAt()
    line.add('decode', 'decode')
    line.add('probe', 'probe')
    expect(line.clear()).toEqual(['probe', 'decode'])
    expect(line.length).toBe(0)
    expect(line.shift()).toBeUndefined()
    expect(line.firstGivesWay(true)).toBe(false)
    expect(line.claimed(true)).toBe(0)
  })

  it('serves any sequence of arrivals and removals as a stable sort by place of those left', () => {
    const place: fc.Arbitrary<LinePlace> = fc.oneof(fc.constantFrom('probe', 'tile', 'decode'), fc.constantFrom(0, 0.25, 0.5, 1, 2))
    const action = fc.oneof(fc.record({ add: place }), fc.record({ remove: fc.nat(20) }))
    fc.assert(
      fc.property(fc.array(action, { maxLength: 40 }), (actions) => {
        const { line } = lineAt()
        const model: { name: string; place: number }[] = []
        actions.forEach((act, index) => {
          if ('add' in act) {
            const name = `job ${index}`
            line.add(name, act.add)
            model.push({ name, place: typeof act.add === 'number' ? act.add : LinePriority[act.add] })
          } else if (model.length > 0) {
            const [gone] = model.splice(act.remove % model.length, 1)
            expect(line.remove(gone!.name)).toBe(true)
          }
        })
        const expected = model.map((entry, order) => ({ ...entry, order })).sort((a, b) => a.place - b.place || a.order - b.order)
        expect(drain(line)).toEqual(expected.map((entry) => entry.name))
      })
    )
  })
})
