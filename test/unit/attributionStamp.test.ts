/** The attribution chip written into a saved picture: where it goes, its scale, and the lines cut to fit. */
import { describe, expect, it } from 'vitest'
import { attributionStampLayout } from '../../src/renderer/ui/attributionStamp'

/** 6 canvas pixels per character at 1× (11 px text), scaled with the font. */
const measureAt = (scale: number) => (text: string): number => [...text].length * 6 * scale

describe('attributionStampLayout', () => {
  it('puts one line per credit, the first on top, right-aligned in a chip in the bottom-right corner', () => {
    const layout = attributionStampLayout(['© OpenStreetMap contributors', 'Orthophoto © a survey'], 1000, 700, 1, measureAt(1))!
    expect(layout.lines.map((l) => l.text)).toEqual(['© OpenStreetMap contributors', 'Orthophoto © a survey'])
    expect(layout.box.x + layout.box.width).toBe(1000)
    expect(layout.box.y + layout.box.height).toBe(700)
    // As wide as the longest line and its padding; two 15 px lines high with the padding.
    expect(layout.box.width).toBe(28 * 6 + 12)
    expect(layout.box.height).toBe(2 * 15 + 4)
    expect(layout.lines[0]!.baseline).toBeLessThan(layout.lines[1]!.baseline)
    for (const line of layout.lines) {
      expect(line.right).toBe(1000 - 6)
      expect(line.baseline).toBeGreaterThan(layout.box.y)
      expect(line.baseline).toBeLessThan(700)
    }
  })

  it('scales with the picture: a view saved at 2× has the chip twice the size', () => {
    const one = attributionStampLayout(['© OpenStreetMap contributors'], 1000, 700, 1, measureAt(1))!
    const two = attributionStampLayout(['© OpenStreetMap contributors'], 2000, 1400, 2, measureAt(2))!
    expect(two.fontPx).toBe(2 * one.fontPx)
    expect(two.box.width).toBe(2 * one.box.width)
    expect(two.box.height).toBe(2 * one.box.height)
  })

  it('cuts a line longer than 70 % of the picture at a character, with an ellipsis', () => {
    const long = 'Tiles © Esri — Source: Esri, Maxar, Earthstar Geographics, and the GIS User Community'
    const layout = attributionStampLayout([long], 300, 200, 1, measureAt(1))!
    const text = layout.lines[0]!.text
    expect(text.endsWith('…')).toBe(true)
    expect(long.startsWith(text.slice(0, -1))).toBe(true)
    expect(measureAt(1)(text)).toBeLessThanOrEqual(300 * 0.7 - 12)
    // The longest start that fits: one more character would not.
    expect(measureAt(1)(long.slice(0, text.length) + '…')).toBeGreaterThan(300 * 0.7 - 12)
    expect(layout.box.width).toBeLessThanOrEqual(300 * 0.7)
  })

  it('stamps nothing without a credit, or where the picture has no room for it', () => {
    expect(attributionStampLayout([], 1000, 700, 1, measureAt(1))).toBeNull()
    expect(attributionStampLayout(['  '], 1000, 700, 1, measureAt(1))).toBeNull()
    expect(attributionStampLayout(['© OpenStreetMap contributors'], 10, 700, 1, measureAt(1))).toBeNull()
    expect(attributionStampLayout(['a', 'b', 'c'], 1000, 20, 1, measureAt(1))).toBeNull()
  })
})
