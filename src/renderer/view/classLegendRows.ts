/**
 * The rows of a paletted raster's class legend, as QGIS's paletted renderer lists them: one row per
 * class (its value, its colour in the palette, its name from the raster attribute table), in the
 * order of the values. Only the classes the data uses are listed, not every entry of the palette (a
 * land cover's 256-entry table with 6 classes used shows 6 rows), and the legend says how it knows
 * which are used. Pure: no DOM.
 */
import type { BandStatistics, PaletteEntry, RasterInfo } from '../../shared/raster'

/** One class of the legend. */
export interface ClassLegendRow {
  value: number
  /** Its colour in the palette; null for a value past the palette's end (drawn transparent). */
  colour: PaletteEntry | null
  /** Its name in the raster attribute table, or null. */
  name: string | null
  /** What the row says: the name, else the value. */
  label: string
  /** Its pixels among the valid ones counted (0…1); null when nothing was counted. */
  share: number | null
}

/**
 * Where the list of classes came from:
 * - 'every-pixel': the class counts of the statistics, taken over every pixel (exact);
 * - 'reduction': the class counts taken over an overview or a sample of rows (a rare class may
 *   be missed: classes the attribute table names are listed too);
 * - 'palette': no counts; the palette's entries, but for the black and the transparent ones, which
 *   is how GDAL fills the entries a colour table does not use.
 */
export type ClassListSource = 'every-pixel' | 'reduction' | 'palette'

export interface ClassLegend {
  rows: ClassLegendRow[]
  source: ClassListSource
  /** Entries of the palette, used or not. */
  paletteEntries: number
}

/**
 * The class legend of a paletted raster (null for any other): the classes present, the no-data
 * value never among them.
 */
export function classLegendRows(info: Pick<RasterInfo, 'palette' | 'classNames' | 'noData' | 'bandInfo' | 'statistics'>): ClassLegend | null {
  const palette = info.palette
  if (!palette || palette.length === 0) return null
  const names = new Map((info.classNames ?? []).map((c) => [c.value, c.name]))
  const stats = classStatistics(info)
  const counts = stats?.classCounts
  const isNoData = (value: number): boolean => info.noData !== null && value === info.noData
  let values: number[]
  let source: ClassListSource
  let total = 0
  if (counts) {
    source = stats.exact === false ? 'reduction' : 'every-pixel'
    total = counts.reduce((sum, n) => sum + n, 0)
    const present = new Set<number>()
    counts.forEach((n, value) => {
      if (n > 0) present.add(value)
    })
    // A reduction may have missed a small class: the ones the table names stay listed.
    if (source === 'reduction') for (const value of names.keys()) if (value < palette.length) present.add(value)
    values = [...present]
  } else {
    source = 'palette'
    values = palette.flatMap((colour, value) => (names.has(value) || !isUnusedEntry(colour) ? [value] : []))
  }
  const rows = values
    .filter((value) => !isNoData(value))
    .sort((a, b) => a - b)
    .map((value): ClassLegendRow => {
      const name = names.get(value) ?? null
      const colour = palette[value]
      return {
        value,
        colour: colour ? ([...colour] as PaletteEntry) : null,
        name,
        label: name ?? String(value),
        share: counts && total > 0 ? (counts[value] ?? 0) / total : null
      }
    })
  return { rows, source, paletteEntries: palette.length }
}

/** What the legend says of its list: how many classes, of how many entries, and how they were found. */
export function classLegendNote(legend: ClassLegend): string {
  const classes = `${legend.rows.length} ${legend.rows.length === 1 ? 'class' : 'classes'}`
  const of = `of ${legend.paletteEntries} palette ${legend.paletteEntries === 1 ? 'entry' : 'entries'}`
  switch (legend.source) {
    case 'every-pixel':
      return `${classes} in the data (every pixel counted), ${of}`
    case 'reduction':
      return `${classes} ${of}: counted over a reduction of the raster (a rare class may be missing; the attribute table's classes are listed)`
    case 'palette':
      return `${classes} ${of}: the data's classes are not counted yet, so the palette's entries are listed but for the black and transparent ones (how GDAL fills unused entries)`
  }
}

/** "12.5 %", "< 0.1 %" (a class present is never said to be 0 %). */
export function formatShare(share: number): string {
  const percent = share * 100
  if (percent > 0 && percent < 0.1) return '< 0.1 %'
  return `${Number(percent.toFixed(percent >= 10 ? 0 : 1))} %`
}

/** GDAL fills a colour table's unused entries with black (GeoTIFF: 0, 0, 0, opaque) or transparent black. */
function isUnusedEntry([r, g, b, a]: PaletteEntry): boolean {
  return a === 0 || (r === 0 && g === 0 && b === 0)
}

/** The statistics of the class band (band 1): its own, else the raster's. */
function classStatistics(info: Pick<RasterInfo, 'bandInfo' | 'statistics'>): BandStatistics | null {
  return info.bandInfo?.[0]?.statistics ?? info.statistics ?? null
}
