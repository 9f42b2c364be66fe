import { describe, expect, it } from 'vitest'
import { constrainAxis, constrainCenter, VISIBILITY_RATIO } from '../../src/renderer/view/cameraBounds'
import { canvasBox, canvasToStage, canvasTransform, flipOrientation, rotateOrientation, stageToCanvas, UPRIGHT, type Orientation } from '../../src/renderer/view/screenOrientation'
import { contains, fromOverview, overviewFrame, toOverview, viewExtent } from '../../src/renderer/view/navigatorMath'
import { browsePosition, browseStep, uniqueNames, windowTitle } from '../../src/renderer/ui/browsing'
import { helpRows, SHORTCUTS, shortcutFor } from '../../src/renderer/ui/shortcuts'
import { errorCause } from '../../src/renderer/ui/ErrorList'
import { readoutText } from '../../src/renderer/ui/exportView'
import { axisPosition, parseRange, presetOf, stretchPresets, valueAxis } from '../../src/renderer/ui/stretchRange'
import { overviewNote } from '../../src/renderer/ui/format'
import { clampSidebarWidth, SIDEBAR_MIN } from '../../src/renderer/ui/SidebarResizer'

const key = (k: string, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; altKey: boolean; shiftKey: boolean }> = {}) => ({
  key: k,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  shiftKey: false,
  ...mods
})

describe('constrainCenter', () => {
  const content = { x: 0, y: 0, width: 1000, height: 500 }

  it('leaves a view that shows enough of the content where it is', () => {
    const view = { centerX: 500, centerY: 250, zoom: 1, width: 800, height: 600 }
    expect(constrainCenter(view, content)).toEqual({ centerX: 500, centerY: 250 })
  })

  it('brings a view panned far away back until the share asked is on screen', () => {
    const view = { centerX: 10_000, centerY: -10_000, zoom: 1, width: 800, height: 600 }
    const c = constrainCenter(view, content)
    // Right edge of the view at least VISIBILITY_RATIO × min(1000, 800) into the content.
    expect(c.centerX - 400).toBeCloseTo(1000 - VISIBILITY_RATIO * 800)
    expect(c.centerY + 300).toBeCloseTo(VISIBILITY_RATIO * 500)
  })

  it('measures the share against the content when it is smaller than the view', () => {
    expect(constrainAxis(-1000, 100, 0, 10, 0.2)).toBeCloseTo(0 + 2 - 50)
    expect(constrainAxis(1000, 100, 0, 10, 0.2)).toBeCloseTo(10 - 2 + 50)
  })

  it('keeps a view zoomed far in over empty space on the content', () => {
    const view = { centerX: -500, centerY: -500, zoom: 32, width: 800, height: 600 }
    const c = constrainCenter(view, content)
    const span = 800 / 32
    expect(c.centerX + span / 2).toBeCloseTo(VISIBILITY_RATIO * span)
  })

  it('does nothing without content', () => {
    const view = { centerX: 7, centerY: 8, zoom: 1, width: 10, height: 10 }
    expect(constrainCenter(view, null)).toEqual({ centerX: 7, centerY: 8 })
  })
})

describe('screen orientation', () => {
  const stage = { width: 800, height: 600 }
  const all: Orientation[] = [0, 1, 2, 3].flatMap((q) => [false, true].map((flipped) => ({ quarterTurns: q as Orientation['quarterTurns'], flipped })))

  it('lays the canvas out with width and height swapped for a quarter turn, centred', () => {
    expect(canvasBox(UPRIGHT, 800, 600)).toEqual({ width: 800, height: 600, left: 0, top: 0 })
    expect(canvasBox({ quarterTurns: 1, flipped: false }, 800, 600)).toEqual({ width: 600, height: 800, left: 100, top: -100 })
  })

  it('maps stage points back and forth exactly for every orientation', () => {
    for (const o of all) {
      const p = { x: 123, y: 45 }
      const back = canvasToStage(o, stage, stageToCanvas(o, stage, p))
      expect(back.x).toBeCloseTo(p.x)
      expect(back.y).toBeCloseTo(p.y)
    }
  })

  it('turns clockwise as CSS does: the canvas top-left corner goes to the stage top-right', () => {
    const o = { quarterTurns: 1 as const, flipped: false }
    expect(canvasToStage(o, stage, { x: 0, y: 0 })).toEqual({ x: 800, y: 0 })
    expect(canvasTransform(o)).toBe('rotate(90deg)')
  })

  it('mirrors left to right', () => {
    const o = flipOrientation(UPRIGHT)
    expect(stageToCanvas(o, stage, { x: 0, y: 10 })).toEqual({ x: 800, y: 10 })
    expect(canvasTransform(o)).toBe('scaleX(-1)')
  })

  it('mirrors on screen after a turn: the turn reverses, then four turns are the identity', () => {
    const turned = rotateOrientation(UPRIGHT, 1)
    const mirrored = flipOrientation(turned)
    expect(mirrored).toEqual({ quarterTurns: 3, flipped: true })
    // Mirroring the screen: a stage point and its mirror image map to mirrored canvas points of the turned view.
    const a = canvasToStage(turned, stage, { x: 10, y: 20 })
    const b = canvasToStage(mirrored, stage, { x: 10, y: 20 })
    expect(b.x).toBeCloseTo(stage.width - a.x)
    expect(b.y).toBeCloseTo(a.y)
    expect(rotateOrientation(rotateOrientation(turned, -1), 4)).toEqual(UPRIGHT)
  })
})

describe('navigator arithmetic', () => {
  it('shows the content whole and centred, and reads clicks back as world points', () => {
    const content = { x: 100, y: 50, width: 1200, height: 800 }
    const frame = overviewFrame(content, 240, 150, 1)
    const r = toOverview(frame, content)
    expect(r.height).toBeCloseTo(150)
    expect(r.x + r.width / 2).toBeCloseTo(120)
    const p = fromOverview(frame, { x: r.x + r.width, y: r.y })
    expect(p.x).toBeCloseTo(1300)
    expect(p.y).toBeCloseTo(50)
  })

  it('says what a camera shows and whether it contains the content', () => {
    const shown = viewExtent({ centerX: 50, centerY: 50, zoom: 2, width: 200, height: 100 })
    expect(shown).toEqual({ x: 0, y: 25, width: 100, height: 50 })
    expect(contains(shown, { x: 10, y: 30, width: 20, height: 20 })).toBe(true)
    expect(contains(shown, { x: 10, y: 10, width: 20, height: 20 })).toBe(false)
  })
})

describe('browsing', () => {
  it('steps to the neighbour, wrapping at both ends', () => {
    expect(browseStep(0, 3, 1)).toBe(1)
    expect(browseStep(2, 3, 1)).toBe(0)
    expect(browseStep(0, 3, -1)).toBe(2)
  })

  it('titles the window with the active file, and its place while browsing', () => {
    expect(windowTitle(null, 'stack')).toBe('Tessera')
    expect(windowTitle({ name: 'dem.tif', index: 0, count: 1 }, 'stack')).toBe('dem.tif — Tessera')
    expect(windowTitle({ name: 'b.png', index: 1, count: 5 }, 'browse')).toBe('b.png (2 of 5) — Tessera')
    expect(browsePosition(1, 5, 'b.png')).toBe('2 / 5  b.png')
  })

  it('gives every layer a name no other has', () => {
    expect(uniqueNames(['dem.tif', 'a.png', 'dem.tif', 'dem.tif'])).toEqual(['dem.tif', 'a.png', 'dem.tif (2)', 'dem.tif (3)'])
    expect(uniqueNames(['x (2)', 'x', 'x'])).toEqual(['x (2)', 'x', 'x (3)'])
  })
})

describe('shortcuts', () => {
  it('lists every action once in the help, pairs folded', () => {
    const rows = helpRows()
    const actions = new Set(SHORTCUTS.flatMap((s) => (s.action ? [s.action] : [])))
    for (const action of actions) expect(SHORTCUTS.some((s) => s.action === action && (rows.includes(s) || s.keys.length <= 8))).toBe(true)
    expect(rows.map((r) => r.keys)).toContain('PageUp / PageDown')
    expect(rows.map((r) => r.keys)).not.toContain('PageDown')
  })

  it('matches keys with their modifiers exactly', () => {
    expect(shortcutFor(key('o', { ctrlKey: true }), false)?.action).toBe('open')
    expect(shortcutFor(key('o'), false)).toBeNull()
    expect(shortcutFor(key('r'), false)?.action).toBe('rotateClockwise')
    expect(shortcutFor(key('R', { shiftKey: true }), false)?.action).toBe('rotateCounterClockwise')
    expect(shortcutFor(key('?', { shiftKey: true }), false)?.action).toBe('help')
    expect(shortcutFor(key('ArrowUp', { altKey: true }), false)?.action).toBe('layerUp')
    expect(shortcutFor(key('F11'), false)?.action).toBe('fullscreen')
  })

  it('browses with the arrows only while browsing (they pan otherwise)', () => {
    expect(shortcutFor(key('ArrowRight'), false)?.action).toBe('panRight')
    expect(shortcutFor(key('ArrowRight'), true)?.action).toBe('next')
    expect(shortcutFor(key('PageUp'), false)?.action).toBe('previous')
  })
})

describe('errorCause', () => {
  it('cuts the "Cannot open <file>:" the title already says', () => {
    expect(errorCause('Could not open corrupt.png', 'Cannot open corrupt.png: Input file has corrupt header')).toBe('Input file has corrupt header')
    expect(errorCause('Could not open b.tif', 'Could not open /data/b.tif: unsupported image format')).toBe('unsupported image format')
  })

  it('keeps a cause that says something else, without a dangling colon', () => {
    expect(errorCause('Could not read dem.tif', 'the file changed on disk: ')).toBe('the file changed on disk')
    expect(errorCause('Tessera service', 'Cannot open x: y')).toBe('Cannot open x: y')
  })
})

describe('readoutText', () => {
  it('says the layer, the pixel, the values and the map point', () => {
    const text = readoutText({ layer: 'geo.tif', x: 12.7, y: 3.2, values: [331.5, null], map: { x: 500000, y: 6000000, epsg: 32631 } })
    expect(text).toContain('geo.tif')
    expect(text).toContain('geo.tif · x 12, y 3 · ')
    expect(text).toContain('value 331.5, no data')
    expect(text).toContain('map 500000.00, 6000000.00 (EPSG:32631)')
  })
})

describe('stretch ranges', () => {
  const stats = { min: 0, max: 1000, p2: 20, p98: 980, p0_5: 5, p99_5: 995, mean: 500, stdDev: 100, noData: null }

  it('offers min–max, 2–98 %, 0.5–99.5 % and mean ± 2σ from the statistics', () => {
    expect(stretchPresets(stats).map((p) => [p.id, p.range.min, p.range.max])).toEqual([
      ['minmax', 0, 1000],
      ['p2', 20, 980],
      ['p0_5', 5, 995],
      ['sigma2', 300, 700]
    ])
    expect(stretchPresets({ min: 3, max: 3, p2: 3, p98: 3, noData: null })).toEqual([])
    expect(stretchPresets(null)).toEqual([])
  })

  it('refuses a maximum at or below the minimum, and text that is not a number, naming the field', () => {
    expect(parseRange('10', '20')).toEqual({ range: { min: 10, max: 20 } })
    expect(parseRange('20', '10')).toEqual({ field: 'max', error: 'The maximum must be above the minimum (10 ≤ 20)' })
    expect(parseRange('5', '5')).toMatchObject({ field: 'max' })
    expect(parseRange('', '5')).toMatchObject({ field: 'min' })
    expect(parseRange('1', 'abc')).toMatchObject({ field: 'max', error: 'The maximum must be a number (received "abc")' })
  })

  it('draws the range on the band’s value axis, widened to hold it', () => {
    const axis = valueAxis(stats, { min: -100, max: 500 })
    expect(axis).toEqual({ min: -100, max: 1000 })
    expect(axisPosition(axis, 450)).toBeCloseTo(0.5)
    expect(axisPosition(axis, 5000)).toBe(1)
    expect(presetOf(stretchPresets(stats), { min: 20, max: 980 })).toBe('p2')
    expect(presetOf(stretchPresets(stats), { min: 21, max: 980 })).toBeNull()
  })
})

describe('overviewNote and the sidebar width', () => {
  it('says a reduced level in words, and nothing at full resolution', () => {
    expect(overviewNote(0)).toBe('')
    expect(overviewNote(2)).toBe('from a 1:4 overview')
  })

  it('keeps the sidebar between its minimum and half the window', () => {
    expect(clampSidebarWidth(100, 1000)).toBe(SIDEBAR_MIN)
    expect(clampSidebarWidth(800, 1000)).toBe(500)
    expect(clampSidebarWidth(300, 1000)).toBe(300)
  })
})
