/**
 * A value raster opens with provisional statistics (a few blocks spread over it: `decode/probe.ts`),
 * so that its first tiles come as soon as a picture's. Its whole-raster statistics follow here: one
 * `statistics` job in the background lane, queued after the raster's own background decodes (an
 * overview it serves its coarse levels from goes first), never in the tiles' line. They are
 * written into the raster's info and said once, unless the raster was closed or its file changed
 * meanwhile (then the job is withdrawn, or its figures dropped: they describe a file no longer shown).
 */
import type { BandInfo } from '../../shared/raster'
import type { Raster } from './Raster'
import type { OpenContext } from './strategy'
import type { RasterInfo } from './types'

/**
 * Starts the whole-raster statistics of `raster` when its info says they are provisional; calls
 * `onFinal` with the info, updated ('final'), once they are in. A failure is logged and changes
 * nothing: the provisional stretch stays.
 */
export function followWithFinalStatistics(raster: Raster, context: Pick<OpenContext, 'path' | 'version' | 'backgroundPool' | 'info' | 'backgroundQueued'>, onFinal?: (info: RasterInfo) => void): void {
  const { info } = context
  if (info.statisticsState !== 'provisional') return
  const withdraw = new AbortController()
  raster.onClose(() => withdraw.abort())
  void (context.backgroundQueued ?? Promise.resolve())
    .then(() => context.backgroundPool.run<BandInfo['statistics'][]>({ kind: 'statistics', path: context.path }, { signal: withdraw.signal }))
    .then(async (statistics) => {
      if (raster.isClosed || !(await context.version.unchanged()) || raster.isClosed) return
      applyFinalStatistics(info, statistics)
      onFinal?.(info)
    })
    .catch((error: unknown) => {
      if (withdraw.signal.aborted) return
      console.error(`[raster] the statistics of ${context.path} could not be computed; its stretch stays provisional:`, error)
    })
}

/** Writes every band's whole-raster statistics into `info` (and the first shown band's into `info.statistics`): final. */
export function applyFinalStatistics(info: RasterInfo, statistics: readonly BandInfo['statistics'][]): void {
  info.bandInfo = info.bandInfo.map((band, index) => ({ ...band, statistics: statistics[index] ?? band.statistics }))
  info.statistics = info.bandInfo[info.displayBands[0]]?.statistics ?? null
  info.statisticsState = 'final'
}
