/**
 * The attribution of the web map layers shown (issue 25), in the view's bottom-right corner as
 * every web map puts it: what each visible web layer's provider asks to be shown beside its
 * tiles, once each, the top layer's first. Written as text, never as markup: it comes from a
 * server's capabilities. Kept true by `show`, called whenever layers are added, removed, shown or
 * hidden.
 */
import type { RasterInfo } from '../../shared/raster'
import { element } from './format'

/** A layer as the attribution reads it. */
interface AttributedLayer {
  readonly visible: boolean
  readonly info: Pick<RasterInfo, 'source'>
}

/** The attributions of the visible web layers among `layers` (bottom of the stack first), once each, the top layer's first. Pure. */
export function attributionsOf(layers: readonly AttributedLayer[]): string[] {
  const lines: string[] = []
  for (const layer of [...layers].reverse()) {
    const source = layer.info.source
    if (!layer.visible || source?.kind !== 'web') continue
    const text = source.attribution.trim()
    if (text !== '' && !lines.includes(text)) lines.push(text)
  }
  return lines
}

export class Attribution {
  readonly root: HTMLElement
  private shown = ''

  constructor(parent: HTMLElement) {
    this.root = element('div', 'map-attribution', undefined, { 'data-testid': 'attribution', 'aria-label': 'Map data attribution' })
    this.root.hidden = true
    parent.append(this.root)
  }

  /** Shows the attributions of the visible web layers among `layers` (nothing: hidden). */
  show(layers: readonly AttributedLayer[]): void {
    const lines = attributionsOf(layers)
    const key = lines.join('\n')
    if (key === this.shown) return
    this.shown = key
    this.root.replaceChildren(...lines.map((line) => element('span', 'map-attribution-line', line, { title: line })))
    this.root.hidden = lines.length === 0
  }
}
