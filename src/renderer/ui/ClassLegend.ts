/**
 * The class legend of a paletted layer in its panel, as QGIS's paletted renderer shows one: a row per
 * class present (a tick box, its colour's swatch, its value, its name from the attribute table, its
 * share of the pixels), All / None, and a note saying how the classes were found
 * (`view/classLegendRows.ts`). Unticking a class hides its pixels (drawn transparent).
 */
import type { RasterInfo } from '../../shared/raster'
import { classLegendNote, classLegendRows, formatShare, type ClassLegendRow } from '../view/classLegendRows'
import { cssColour } from '../view/paletteClasses'
import { element } from './format'

/**
 * The legend of `info`'s classes, those in `hidden` unticked; `apply` gets the classes to hide after
 * each change. Null for a raster without a palette.
 */
export function classLegend(info: RasterInfo, hidden: ReadonlySet<number>, apply: (hidden: ReadonlySet<number>) => void): HTMLElement | null {
  const legend = classLegendRows(info)
  if (!legend) return null
  // Hidden classes that the list does not show (counted since, say) stay hidden.
  const hiding = new Set(hidden)
  const root = element('div', 'class-legend', undefined, { 'data-testid': 'class-legend' })
  const all = element('button', 'class-legend-all', 'All', { type: 'button', title: 'Show every class', 'data-testid': 'class-legend-all' })
  const none = element('button', 'class-legend-none', 'None', { type: 'button', title: 'Hide every class', 'data-testid': 'class-legend-none' })
  const head = element('div', 'layer-row')
  head.append(element('span', 'row-label', 'Classes'), all, none)
  const list = element('ul', 'class-legend-rows', undefined, { 'aria-label': 'Classes' })
  const boxes = legend.rows.map((row) => {
    const { item, box } = classRow(row, !hiding.has(row.value))
    box.addEventListener('change', () => {
      if (box.checked) hiding.delete(row.value)
      else hiding.add(row.value)
      apply(new Set(hiding))
    })
    list.append(item)
    return { row, box }
  })
  const setAll = (shown: boolean): void => {
    for (const { row, box } of boxes) {
      box.checked = shown
      if (shown) hiding.delete(row.value)
      else hiding.add(row.value)
    }
    apply(new Set(hiding))
  }
  all.addEventListener('click', () => setAll(true))
  none.addEventListener('click', () => setAll(false))
  const note = classLegendNote(legend)
  root.append(head, list, element('p', 'stretch-note', note, { 'data-testid': 'class-legend-note', title: note }))
  root.dataset.source = legend.source
  return root
}

function classRow(row: ClassLegendRow, shown: boolean): { item: HTMLElement; box: HTMLInputElement } {
  const item = element('li', 'class-row', undefined, { 'data-testid': 'class-row', 'data-value': String(row.value) })
  const label = element('label', 'class-row-label', undefined, { title: row.name ? `${row.value}: ${row.name}` : String(row.value) })
  const box = element('input', 'class-visible', undefined, { type: 'checkbox', 'aria-label': `Show class ${row.label}`, 'data-testid': 'class-visible' })
  box.checked = shown
  const swatch = element('span', 'class-swatch', undefined, { 'data-testid': 'class-swatch' })
  if (row.colour) swatch.style.background = cssColour(row.colour)
  else swatch.title = 'Not in the colour table: drawn transparent'
  label.append(box, swatch, element('span', 'class-value', String(row.value), { 'data-testid': 'class-value' }))
  label.append(element('span', 'class-name', row.name ?? '', { 'data-testid': 'class-name' }))
  if (row.share !== null) label.append(element('span', 'class-share', formatShare(row.share), { 'data-testid': 'class-share' }))
  item.append(label)
  return { item, box }
}
