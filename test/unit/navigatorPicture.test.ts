/**
 * The navigator's picture across a change of the world (issue 20: the navigator was blank after
 * the view's CRS changed). The picture is kept with the world rectangle it shows; nothing told the
 * navigator that the world itself had changed, so the old picture was drawn at its old place, off
 * the new content, and was never taken again. `pictureFate` judges it by the content's extent.
 */
import { describe, expect, it } from 'vitest'
import { overlaps, pictureFate, sameExtent } from '../../src/renderer/view/navigatorMath'
import { transformPoint } from '../../src/renderer/view/map/crs'

/** The DEM of the map e2e scene: UTM 31N x 512000…518000, map y 5590000…5594000 (world y = −map y). */
const utmContent = { x: 512000, y: -5594000, width: 6000, height: 4000 }

/** The same ground in the world of Web Mercator (its corners through proj4, their bounding box). */
function mercatorContent(): { x: number; y: number; width: number; height: number } {
  const corners = [
    [512000, 5590000],
    [518000, 5590000],
    [512000, 5594000],
    [518000, 5594000]
  ].map(([x, y]) => transformPoint('EPSG:32631', 'EPSG:3857', x!, y!)!)
  const xs = corners.map((c) => c.x)
  const ys = corners.map((c) => -c.y)
  return { x: Math.min(...xs), y: Math.min(...ys), width: Math.max(...xs) - Math.min(...xs), height: Math.max(...ys) - Math.min(...ys) }
}

describe('pictureFate', () => {
  it('keeps the picture while the content is the same', () => {
    expect(pictureFate(utmContent, { ...utmContent })).toBe('keep')
  })

  it('drops the picture when the view’s CRS changes: its old world rectangle lies off the new content', () => {
    expect(pictureFate(utmContent, mercatorContent())).toBe('drop')
    expect(pictureFate(mercatorContent(), utmContent)).toBe('drop')
  })

  it('takes the picture again when the content changes but still meets it (a layer placed anew, hidden or added)', () => {
    const wider = { ...utmContent, width: utmContent.width + 2000 }
    expect(pictureFate(utmContent, wider)).toBe('retake')
    expect(pictureFate(wider, utmContent)).toBe('retake')
  })
})

describe('sameExtent and overlaps', () => {
  it('takes rectangles equal to within a relative tolerance as the same', () => {
    expect(sameExtent(utmContent, { ...utmContent, x: utmContent.x + 1e-7 })).toBe(true)
    expect(sameExtent(utmContent, { ...utmContent, x: utmContent.x + 1 })).toBe(false)
  })

  it('says rectangles overlap only when they share some area', () => {
    const a = { x: 0, y: 0, width: 10, height: 10 }
    expect(overlaps(a, { x: 5, y: 5, width: 10, height: 10 })).toBe(true)
    expect(overlaps(a, { x: 10, y: 0, width: 10, height: 10 })).toBe(false)
    expect(overlaps(a, { x: 0, y: -20, width: 10, height: 10 })).toBe(false)
  })
})
