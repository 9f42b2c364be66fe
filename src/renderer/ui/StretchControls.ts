/**
 * The stretch of one shown band of a value layer: its limits (checked, the error said beside the
 * field), presets and reset, the value axis with the statistics marked on it and the range drawn
 * over it, and for a single band its colour map with a legend (the colour bar and its values).
 * The histogram the host computed over the band's valid values is drawn on the axis, under the range.
 */
import type { BandStatistics } from '../../shared/raster'
import type { BandRange } from '../view/bandPixels'
import { COLORMAPS, colormapTable, isColormap, type ColormapName } from '../view/colormaps'
import { element, formatValue } from './format'
import { axisPosition, parseRange, presetOf, stretchPresets, valueAxis } from './stretchRange'

export interface BandStretchOptions {
  /** Index among the shown bands (0 for a single band; 0–2 for R, G, B). */
  index: number
  label: string
  /** "Stretch", "Red"… for the fields' names. */
  fieldName: string
  stats: BandStatistics | null
  range: BandRange
  /** The range the layer opened with (Reset). */
  initial: BandRange
  apply(range: BandRange): void
}

/** The controls of one band's range. */
export function bandStretchControls(options: BandStretchOptions): HTMLElement {
  const { index, stats } = options
  let range = options.range
  const box = element('div', 'stretch-band', undefined, { 'data-testid': `stretch-band-${index}` })
  const min = element('input', 'stretch-min', undefined, {
    type: 'text', inputmode: 'decimal', value: formatValue(range.min), 'aria-label': `${options.fieldName} minimum`, 'data-testid': `stretch-min-${index}`
  })
  const max = element('input', 'stretch-max', undefined, {
    type: 'text', inputmode: 'decimal', value: formatValue(range.max), 'aria-label': `${options.fieldName} maximum`, 'data-testid': `stretch-max-${index}`
  })
  const reset = element('button', 'stretch-reset', '↺', { type: 'button', title: 'Reset to the range the layer opened with', 'aria-label': `Reset ${options.fieldName.toLowerCase()}`, 'data-testid': `stretch-reset-${index}` })
  const row = element('div', 'layer-row')
  row.append(element('span', 'row-label', options.label), min, element('span', undefined, '–'), max, reset)
  const error = element('p', 'stretch-error', '', { 'data-testid': `stretch-error-${index}`, role: 'alert' })
  error.hidden = true

  const presets = stretchPresets(stats)
  const preset = element('select', 'stretch-preset', undefined, { 'aria-label': `${options.fieldName} preset`, 'data-testid': `stretch-preset-${index}` })
  preset.append(new Option('Custom', ''))
  for (const p of presets) preset.append(new Option(`${p.label}  (${formatValue(p.range.min)} … ${formatValue(p.range.max)})`, p.id))
  const presetRow = element('div', 'layer-row')
  presetRow.append(element('span', 'row-label', 'Preset'), preset)

  const axis = element('div', 'stretch-axis', undefined, { 'data-testid': `stretch-axis-${index}` })
  const band = element('div', 'stretch-axis-range')
  const bins = stats?.histogram && stats.histogram.some((count) => count > 0) ? stats.histogram : null
  const histogram = bins ? element('canvas', 'stretch-histogram', undefined, { width: String(HISTOGRAM_WIDTH), height: String(HISTOGRAM_HEIGHT), 'data-testid': `stretch-histogram-${index}` }) : null
  axis.append(band)
  if (histogram) {
    // Over the range band: the bars stay readable where the range covers them.
    axis.classList.add('with-histogram')
    axis.append(histogram)
  }
  const marks: Array<[number, string]> = []
  if (stats) {
    marks.push([stats.min, 'min'], [stats.max, 'max'], [stats.p2, '2 %'], [stats.p98, '98 %'])
    if (stats.p0_5 !== undefined && stats.p99_5 !== undefined) marks.push([stats.p0_5, '0.5 %'], [stats.p99_5, '99.5 %'])
    if (stats.mean !== undefined) marks.push([stats.mean, 'mean'])
  }
  const markEls = marks.filter(([v]) => Number.isFinite(v)).map(([value, name]) => {
    const mark = element('span', 'stretch-axis-mark', undefined, { title: `${name}: ${formatValue(value)}`, 'data-mark': name })
    axis.append(mark)
    return { value, mark }
  })
  const axisLabels = element('div', 'stretch-axis-labels')
  const axisMin = element('span', undefined, '')
  const axisMax = element('span', undefined, '')
  axisLabels.append(axisMin, axisMax)
  const note = element(
    'p',
    'stretch-note',
    !stats
      ? 'No statistics for this band.'
      : bins
        ? `Histogram of the band’s values${stats.exact === false ? ' (from an overview or a sample of rows)' : ''}; the marks are its statistics (min, 0.5, 2, 98, 99.5 %, mean, max).`
        : 'No histogram for this band: the marks are its statistics (min, 0.5, 2, 98, 99.5 %, mean, max).'
  )

  const show = (): void => {
    const a = valueAxis(stats, range)
    const from = axisPosition(a, range.min)
    const to = axisPosition(a, range.max)
    band.style.left = `${from * 100}%`
    band.style.width = `${Math.max(0.5, (to - from) * 100)}%`
    for (const { value, mark } of markEls) mark.style.left = `${axisPosition(a, value) * 100}%`
    if (histogram && bins && stats) drawHistogram(histogram, bins, stats.min, stats.max, a)
    axisMin.textContent = formatValue(a.min)
    axisMax.textContent = formatValue(a.max)
    preset.value = presetOf(presets, range) ?? ''
    axis.dataset.range = `${range.min},${range.max}`
  }
  const setRange = (next: BandRange): void => {
    range = next
    min.value = formatValue(next.min)
    max.value = formatValue(next.max)
    showError(null)
    show()
    options.apply(next)
  }
  const showError = (problem: { field: 'min' | 'max'; error: string } | null): void => {
    error.hidden = !problem
    error.textContent = problem?.error ?? ''
    min.toggleAttribute('aria-invalid', problem?.field === 'min')
    max.toggleAttribute('aria-invalid', problem?.field === 'max')
    min.classList.toggle('invalid', problem?.field === 'min')
    max.classList.toggle('invalid', problem?.field === 'max')
  }
  const typed = (): void => {
    const parsed = parseRange(min.value, max.value)
    if ('error' in parsed) return showError(parsed)
    setRange(parsed.range)
  }
  min.addEventListener('change', typed)
  max.addEventListener('change', typed)
  for (const field of [min, max]) field.addEventListener('keydown', (e) => e.key === 'Enter' && typed())
  preset.addEventListener('change', () => {
    const chosen = presets.find((p) => p.id === preset.value)
    if (chosen) setRange(chosen.range)
  })
  reset.addEventListener('click', () => setRange(options.initial))
  show()
  box.append(row, error, presetRow, axis, axisLabels, note)
  return box
}

/** The colour map picker of a single band and its legend: the colour bar from the range's minimum to its maximum. */
export function colourMapControls(colormap: ColormapName, range: () => BandRange, apply: (name: ColormapName) => void): { root: HTMLElement; refresh(): void } {
  const root = element('div', 'stretch-colours')
  const picker = element('select', 'stretch-colormap', undefined, { 'aria-label': 'Colour map', 'data-testid': 'stretch-colormap' })
  for (const name of COLORMAPS) picker.append(new Option(name, name, false, name === colormap))
  const row = element('label', 'layer-row')
  row.append(element('span', 'row-label', 'Colours'), picker)
  const legend = element('div', 'legend', undefined, { 'data-testid': 'legend' })
  const bar = element('canvas', 'legend-bar', undefined, { width: '256', height: '1' })
  const labels = element('div', 'legend-labels', undefined, { 'data-testid': 'legend-labels' })
  legend.append(bar, labels)
  let current = colormap
  const refresh = (): void => {
    const table = colormapTable(current)
    const ctx = bar.getContext('2d')
    if (ctx) ctx.putImageData(new ImageData(new Uint8ClampedArray(table), 256, 1), 0, 0)
    const r = range()
    const mid = (r.min + r.max) / 2
    labels.replaceChildren(element('span', undefined, formatValue(r.min)), element('span', undefined, formatValue(Number(mid.toPrecision(6)))), element('span', undefined, formatValue(r.max)))
    legend.dataset.colormap = current
  }
  picker.addEventListener('change', () => {
    if (!isColormap(picker.value)) return
    current = picker.value
    apply(current)
    refresh()
  })
  refresh()
  root.append(row, legend)
  return { root, refresh }
}

const HISTOGRAM_WIDTH = 256
const HISTOGRAM_HEIGHT = 48

/**
 * Bars of `bins` (equal bins from min to max) placed on the axis `axis` spans; heights by the
 * square root of the counts, so that a long tail stays visible beside a tall peak.
 */
function drawHistogram(canvas: HTMLCanvasElement, bins: readonly number[], min: number, max: number, axis: BandRange): void {
  const context = canvas.getContext('2d')
  if (!context) return
  context.clearRect(0, 0, HISTOGRAM_WIDTH, HISTOGRAM_HEIGHT)
  context.fillStyle = getComputedStyle(canvas).color || '#888'
  const peak = Math.sqrt(Math.max(...bins))
  const width = (max - min) / bins.length
  bins.forEach((count, i) => {
    if (count === 0) return
    const from = axisPosition(axis, min + i * width) * HISTOGRAM_WIDTH
    const to = max > min ? axisPosition(axis, min + (i + 1) * width) * HISTOGRAM_WIDTH : from + 2
    const height = Math.max(1, (Math.sqrt(count) / peak) * HISTOGRAM_HEIGHT)
    context.fillRect(from, HISTOGRAM_HEIGHT - height, Math.max(1, to - from), height)
  })
}
