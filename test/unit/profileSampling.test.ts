/** Profile sampling along a polyline and its CSV (issue 23). */
import { formatSample } from '../../src/renderer/ui/format'
import { describe, expect, it } from 'vitest'
import { cumulativeDistances, samplePolyline } from '../../src/renderer/ui/tools/profileSampling'
import { profileCsv } from '../../src/renderer/ui/tools/profileCsv'
import { sampleBatches } from '../../src/renderer/ui/tools/profileData'

describe('samplePolyline', () => {
  it('samples at every multiple of the step along the line, across vertices, every vertex included', () => {
    const line = samplePolyline([{ x: 0, y: 0 }, { x: 2.5, y: 0 }, { x: 2.5, y: 2 }], 1)
    expect(line.points).toEqual([
      { x: 0, y: 0 },
      { x: 1, y: 0 },
      { x: 2, y: 0 },
      { x: 2.5, y: 0 },
      { x: 2.5, y: 0.5 },
      { x: 2.5, y: 1.5 },
      { x: 2.5, y: 2 }
    ])
    expect(line.along).toEqual([0, 1, 2, 2.5, 3, 4, 4.5])
    expect(line.vertexIndices).toEqual([0, 3, 6])
    expect(line.step).toBe(1)
  })

  it('makes a sample that falls on a vertex that vertex, once', () => {
    const line = samplePolyline([{ x: 0, y: 0 }, { x: 3, y: 4 }, { x: 3, y: 14 }], 5)
    expect(line.along).toEqual([0, 5, 10, 15])
    expect(line.vertexIndices).toEqual([0, 1, 3])
    expect(line.points[2]).toEqual({ x: 3, y: 9 })
  })

  it('keeps the distances increasing and each point on the line at its distance', () => {
    const vertices = [{ x: 10, y: -3 }, { x: 13.7, y: 8.1 }, { x: -2, y: 5 }, { x: -2.5, y: 5.25 }]
    const line = samplePolyline(vertices, 0.37)
    for (let i = 1; i < line.along.length; i++) expect(line.along[i]!).toBeGreaterThan(line.along[i - 1]!)
    const measured = cumulativeDistances(line.points)
    measured.forEach((d, i) => expect(d).toBeCloseTo(line.along[i]!, 9))
    line.vertexIndices.forEach((index, v) => expect(line.points[index]).toEqual(vertices[v]))
    // Regular spacing between the vertices: every gap is the step, or shorter next to a vertex.
    for (let i = 1; i < line.along.length; i++) expect(line.along[i]! - line.along[i - 1]!).toBeLessThanOrEqual(0.37 + 1e-9)
  })

  it('enlarges the step to stay within the most points allowed', () => {
    const line = samplePolyline([{ x: 0, y: 0 }, { x: 1000, y: 0 }], 0.001, 102)
    expect(line.points.length).toBeLessThanOrEqual(102)
    expect(line.step).toBeCloseTo(10, 9)
    expect(line.vertexIndices).toEqual([0, line.points.length - 1])
  })

  it('counts a repeated vertex once, keeping its place among the vertices', () => {
    const line = samplePolyline([{ x: 0, y: 0 }, { x: 0, y: 0 }, { x: 2, y: 0 }], 1)
    expect(line.points).toEqual([{ x: 0, y: 0 }, { x: 1, y: 0 }, { x: 2, y: 0 }])
    expect(line.vertexIndices).toEqual([0, 0, 2])
  })

  it('refuses a step that is not positive', () => {
    expect(() => samplePolyline([{ x: 0, y: 0 }], 0)).toThrow('Expected a positive finite step but received 0')
  })
})

describe('cumulativeDistances', () => {
  it('sums the segments measured by the function given', () => {
    expect(cumulativeDistances([{ x: 0, y: 0 }, { x: 3, y: 4 }, { x: 3, y: 5 }])).toEqual([0, 5, 6])
    expect(cumulativeDistances([{ x: 0, y: 0 }, { x: 3, y: 4 }, { x: 3, y: 5 }], () => 2)).toEqual([0, 2, 4])
  })
})

describe('profileCsv', () => {
  it('writes distance, x, y and one column per layer, no data as an empty field, numbers in full', () => {
    const csv = profileCsv({
      distanceHeading: 'distance_m',
      distances: [0, 1.5],
      points: [{ x: 500000.25, y: 5600000 }, { x: 500001.75, y: 5600000 }],
      columns: [
        { name: 'dem.tif', values: [331, null] },
        { name: 'depth, "max".tif', values: [6.554755687713623, -0.1] }
      ]
    })
    expect(csv).toBe('distance_m,x,y,dem.tif,"depth, ""max"".tif"\r\n0,500000.25,5600000,331,6.554755687713623\r\n1.5,500001.75,5600000,,-0.1\r\n')
  })
})

describe('sampleBatches', () => {
  const size = { width: 1000, height: 600, tileSize: 256 }

  it('keeps each batch within the most points and tiles of one sample-values call', () => {
    const pixels = Array.from({ length: 1000 }, (_, i) => ({ x: i + 0.5, y: (i * 0.6) % 600 }))
    const batches = sampleBatches(pixels, size, 300, 2)
    expect(batches[0]![0]).toBe(0)
    expect(batches.at(-1)![1]).toBe(1000)
    batches.forEach(([start, end], i) => {
      if (i > 0) expect(start).toBe(batches[i - 1]![1])
      expect(end - start).toBeLessThanOrEqual(300)
      const tiles = new Set(pixels.slice(start, end).map((p) => `${Math.floor(p.x / 256)}/${Math.floor(p.y / 256)}`))
      expect(tiles.size).toBeLessThanOrEqual(2)
    })
  })

  it('counts no tile for points outside the raster', () => {
    const pixels = [{ x: -5, y: 3 }, { x: 1200, y: 3 }, { x: 3, y: 3 }, { x: 300, y: 3 }, { x: 3, y: 700 }]
    expect(sampleBatches(pixels, size, 100, 2)).toEqual([[0, 5]])
    expect(sampleBatches(pixels, size, 100, 1)).toEqual([[0, 3], [3, 5]])
  })
})

describe('formatSample', () => {
  it('writes a Float32 sample as the shortest decimal that reads back as the same Float32', () => {
    const samples = [10.735209465026855, Math.fround(0.1), Math.fround(-1234.5678), Math.fround(3.4e38), Math.fround(1e-40)]
    for (const value of samples) {
      const text = formatSample(value, 'float32')
      expect(Math.fround(Number(text))).toBe(value)
      expect(text.replace(/^-|\.|e.*$/g, '').replace(/^0+/, '').length).toBeLessThanOrEqual(9)
    }
    expect(formatSample(10.735209465026855, 'float32')).toBe('10.735209')
    expect(formatSample(Math.fround(0.1), 'float32')).toBe('0.1')
  })

  it('leaves integers and Float64 samples as JavaScript writes them', () => {
    expect(formatSample(10.735209465026855, 'float64')).toBe('10.735209465026855')
    expect(formatSample(331, 'int16')).toBe('331')
    expect(formatSample(-0.1, 'float64')).toBe('-0.1')
  })
})
