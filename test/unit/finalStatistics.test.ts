/**
 * The stretch of a value layer follows the whole-raster statistics (`info-update`) band by band,
 * unless the person has set that band's range since it opened with the provisional ones.
 */
import { describe, expect, it } from 'vitest'
import type { BandStatistics, RasterInfo } from '../../src/shared/raster'
import { defaultBandRanges, type LayerDisplay } from '../../src/renderer/view/bandPixels'
import { rangesFollowingStatistics, withFinalStatistics } from '../../src/renderer/view/finalStatistics'

const stats = (p2: number, p98: number): BandStatistics => ({ min: p2 - 10, max: p98 + 10, p2, p98, noData: -9999 })

function dem(bands: BandStatistics[]): RasterInfo {
  return {
    name: 'dem.tif', format: 'tiff', fileSize: 1, width: 5000, height: 4000, tileSize: 256, levels: [{ width: 5000, height: 4000 }],
    bands: bands.length, sampleType: 'float32', hasAlpha: false,
    bandInfo: bands.map((statistics) => ({ colorInterpretation: 'gray' as const, statistics })),
    noData: -9999, hasMask: false, displayBands: bands.length === 3 ? [0, 1, 2] : [0], tileKind: 'bands', tileMask: false,
    warnings: [], tileChannels: bands.length, tileSampleType: 'float32', statistics: bands[0]!, statisticsState: 'provisional',
    georeference: null, strategy: 'tiled', pyramidReady: true
  }
}

const display = (info: RasterInfo): LayerDisplay => ({ bands: info.displayBands, ranges: defaultBandRanges(info), colormap: 'grey' })

describe('rangesFollowingStatistics', () => {
  const provisional = dem([stats(100, 2500)])
  const final = withFinalStatistics(provisional, { bandInfo: [{ colorInterpretation: 'gray', statistics: stats(-120, 2566) }], statistics: stats(-120, 2566) })

  it('marks the info final and takes every band’s new statistics', () => {
    expect(final.statisticsState).toBe('final')
    expect(final.statistics).toEqual(stats(-120, 2566))
    expect(final.bandInfo[0]!.statistics).toEqual(stats(-120, 2566))
  })

  it('moves a stretch still at its provisional default to the final default (2–98 %)', () => {
    expect(rangesFollowingStatistics(display(provisional), provisional, final)).toEqual({ 0: { min: -120, max: 2566 } })
  })

  it('keeps a range the person set (dragged, typed, a preset)', () => {
    const set: LayerDisplay = { ...display(provisional), ranges: [{ min: 0, max: 1000 }] }
    expect(rangesFollowingStatistics(set, provisional, final)).toBeNull()
  })

  it('follows band by band: of three bands, only those the person left', () => {
    const before = dem([stats(1, 9), stats(2, 8), stats(3, 7)])
    const after = withFinalStatistics(before, { bandInfo: [stats(0, 10), stats(0, 11), stats(0, 12)].map((statistics) => ({ colorInterpretation: 'gray' as const, statistics })), statistics: stats(0, 10) })
    const shown = display(before)
    shown.ranges[1] = { min: 5, max: 6 }
    expect(rangesFollowingStatistics(shown, before, after)).toEqual({ 0: { min: 0, max: 10 }, 2: { min: 0, max: 12 } })
  })

  it('changes nothing when the final statistics give the same stretch', () => {
    const same = withFinalStatistics(provisional, { bandInfo: provisional.bandInfo, statistics: provisional.statistics })
    expect(rangesFollowingStatistics(display(provisional), provisional, same)).toBeNull()
  })
})
