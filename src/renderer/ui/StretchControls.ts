/**
 * The stretch of one shown band of a value layer: its limits (checked, the error said beside the
 * field), presets and reset, the value axis with the statistics marked on it and the range drawn
 * over it, and for a single band its colour map with a legend (the colour bar and its values).
 * The histogram the host computed over the band's valid values is drawn on the axis, under the range.
 */
import type { BandStatistics } from '../../shared/raster'
import type { BandRange } from '../view/bandPixels'
import { COLORMAPS, DIVERGING_COLORMAPS, colormapName, colormapParts, colormapTable, isColormap, type ColormapName } from '../view/colormaps'
import { element } from './format'
import { axisPosition, parseRange, presetOf, stretchPresets, valueAxis } from './stretchRange'
import { dragRange, formatAtPrecision, valueDecimals } from './valuePrecision'

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

/** The controls of one band's range; `setRange` sets it as a person would (fields, axis, layer). */
export function bandStretchControls(options: BandStretchOptions): HTMLElement & { setRange(range: BandRange): void } {
  const { index, stats } = options
  let range = options.range
  // Numbers shown to the data's precision (integers for an integer band); a drag sets them so too.
  const decimals = valueDecimals(stats)
  const formatValue = (value: number): string => formatAtPrecision(value, decimals)
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
  // Dragging across the axis (the histogram) sets the range from where the drag began to where it is.
  axis.dataset.decimals = String(decimals)
  axis.addEventListener('pointerdown', (down) => {
    if (down.button !== 0) return
    down.preventDefault()
    const box = axis.getBoundingClientRect()
    const fraction = (e: PointerEvent): number => (box.width > 0 ? (e.clientX - box.left) / box.width : 0)
    const a = valueAxis(stats, range)
    const start = fraction(down)
    axis.setPointerCapture(down.pointerId)
    axis.classList.add('dragging')
    const move = (e: PointerEvent): void => setRange(dragRange(a, start, fraction(e), decimals))
    const end = (e: PointerEvent): void => {
      move(e)
      axis.classList.remove('dragging')
      axis.removeEventListener('pointermove', move)
      axis.removeEventListener('pointerup', end)
      axis.removeEventListener('pointercancel', end)
    }
    axis.addEventListener('pointermove', move)
    axis.addEventListener('pointerup', end)
    axis.addEventListener('pointercancel', end)
  })
  axis.title = 'Drag across the histogram to set the stretch range'
  show()
  box.append(row, error, presetRow, axis, axisLabels, note)
  return Object.assign(box, { setRange })
}

/**
 * The colour map picker of a single band, its Invert box, and its legend: the colour bar from the
 * range's minimum to its maximum, the numbers to the data's precision (`stats`). Choosing a
 * diverging map calls `centre` (its range centred on 0, for differences), when given.
 */
export function colourMapControls(
  colormap: ColormapName,
  range: () => BandRange,
  apply: (name: ColormapName) => void,
  stats?: BandStatistics | null,
  centre?: () => void
): { root: HTMLElement; refresh(): void } {
  const decimals = valueDecimals(stats)
  const formatValue = (value: number): string => formatAtPrecision(value, decimals)
  const root = element('div', 'stretch-colours')
  const picker = element('select', 'stretch-colormap', undefined, { 'aria-label': 'Colour map', 'data-testid': 'stretch-colormap' })
  for (const name of COLORMAPS) picker.append(new Option(name, name, false, name === colormapParts(colormap).base))
  const invert = element('input', 'stretch-invert', undefined, { type: 'checkbox', 'aria-label': 'Invert the colour map', 'data-testid': 'stretch-invert' })
  invert.checked = colormapParts(colormap).inverted
  const invertLabel = element('label', 'stretch-invert-label', undefined, { title: 'Read the colour map from its other end' })
  invertLabel.append(invert, element('span', undefined, 'Invert'))
  const row = element('div', 'layer-row')
  row.append(element('span', 'row-label', 'Colours'), picker, invertLabel)
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
    labels.replaceChildren(element('span', undefined, formatValue(r.min)), element('span', undefined, formatValue(mid)), element('span', undefined, formatValue(r.max)))
    legend.dataset.colormap = current
  }
  const choose = (picked: boolean): void => {
    const base = picker.value
    if (!isColormap(base)) return
    current = colormapName(colormapParts(base).base, invert.checked)
    apply(current)
    // A diverging map just picked shows differences: its centre colour at 0.
    if (picked && DIVERGING_COLORMAPS.has(colormapParts(current).base)) centre?.()
    refresh()
  }
  picker.addEventListener('change', () => choose(true))
  invert.addEventListener('change', () => choose(false))
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
