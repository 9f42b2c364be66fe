/**
 * A value raster opens with provisional statistics and its stretch with them; the whole raster's
 * come later (`info-update`). The stretch follows them, band by band, unless the person has set
 * that band's range meanwhile (dragged the histogram, typed limits, picked a preset, centred a
 * diverging map): a range still equal to the provisional default is the raster's, not theirs.
 * Pure: the layer and the layers list call it.
 */
import type { BandInfo, BandStatistics, RasterInfo } from '../../shared/raster'
import { defaultBandRanges, type BandRange, type LayerDisplay } from './bandPixels'

/** What an `info-update` brings: every band's whole-raster statistics and the first shown band's. */
export interface FinalStatistics {
  bandInfo: BandInfo[]
  statistics: BandStatistics | null
}

/** `info` with the final statistics in place of the provisional ones. */
export function withFinalStatistics(info: RasterInfo, update: FinalStatistics): RasterInfo {
  return { ...info, bandInfo: update.bandInfo, statistics: update.statistics, statisticsState: 'final' }
}

/**
 * The ranges the stretch takes with the final statistics: for each band whose range in `display`
 * is still its default under the provisional statistics of `before`, its default under `after`;
 * null when no band follows (the person set every one, or nothing changed).
 */
export function rangesFollowingStatistics(display: LayerDisplay, before: RasterInfo, after: RasterInfo): Record<number, BandRange> | null {
  const provisional = defaultBandRanges(before)
  const final = defaultBandRanges(after)
  const ranges: Record<number, BandRange> = {}
  let any = false
  display.ranges.forEach((range, band) => {
    const was = provisional[band]
    const next = final[band]
    if (!was || !next || !sameRange(range, was) || sameRange(next, was)) return
    ranges[band] = { ...next }
    any = true
  })
  return any ? ranges : null
}

function sameRange(a: BandRange, b: BandRange): boolean {
  return a.min === b.min && a.max === b.max
}
