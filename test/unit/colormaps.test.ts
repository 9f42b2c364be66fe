import { describe, expect, it } from 'vitest'
import { COLORMAPS, colormapName, colormapParts, colormapTable, isColormap } from '../../src/renderer/view/colormaps'

const rgbAt = (table: Uint8Array, i: number): number[] => [table[i * 4]!, table[i * 4 + 1]!, table[i * 4 + 2]!, table[i * 4 + 3]!]

describe('colour maps', () => {
  it('ramps water depth from ColorBrewer Blues: pale for shallow, dark for deep', () => {
    const blues = colormapTable('blues')
    expect(rgbAt(blues, 0)).toEqual([0xf7, 0xfb, 0xff, 255])
    expect(rgbAt(blues, 255)).toEqual([0x08, 0x30, 0x6b, 255])
  })

  it('diverges from blue to red through a near-white centre', () => {
    const diverging = colormapTable('diverging')
    expect(rgbAt(diverging, 0)).toEqual([0x05, 0x30, 0x61, 255])
    expect(rgbAt(diverging, 255)).toEqual([0x67, 0x00, 0x1f, 255])
    const centre = rgbAt(diverging, 128)
    for (const c of centre.slice(0, 3)) expect(c).toBeGreaterThan(230)
  })

  it('inverts any map: the `_r` table is the table read backwards', () => {
    for (const base of COLORMAPS) {
      const table = colormapTable(base)
      const inverted = colormapTable(colormapName(base, true))
      for (let i = 0; i < 256; i++) expect(rgbAt(inverted, i)).toEqual(rgbAt(table, 255 - i))
    }
  })

  it('names an inverted map with matplotlib\'s suffix and reads it back', () => {
    expect(colormapName('blues', true)).toBe('blues_r')
    expect(colormapParts('blues_r')).toEqual({ base: 'blues', inverted: true })
    expect(colormapParts('viridis')).toEqual({ base: 'viridis', inverted: false })
    expect(isColormap('terrain_r')).toBe(true)
    expect(isColormap('magma')).toBe(false)
    expect(isColormap('grey_r_r')).toBe(false)
  })
})
