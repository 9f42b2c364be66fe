/**
 * Set CRS…, as QGIS's "Set layer CRS": a layer whose CRS is unknown or wrong is given one. The
 * person types an EPSG code or words of its name (the host searches the EPSG registry), or pastes
 * a PROJ or WKT string; the host describes the choice as it would a file's CRS (its definition,
 * the code it is equivalent to, its name), and the layer is placed again at once. Esc, Cancel or
 * a click outside closes it without change. The host's search and description come through
 * `CrsLookup`; what the dialog decides is `crsInputKind` (pure).
 */
import type { CrsMatch } from '../../shared/calls'
import type { CrsInfo } from '../../shared/raster'
import { messageOf } from '../../shared/errors'
import { element } from './format'

/** The host's side of Set CRS… (`search-crs`, `describe-crs`). */
export interface CrsLookup {
  search(query: string): Promise<CrsMatch[]>
  describe(definition: string): Promise<CrsInfo>
}

/** What a person typed: a definition to use as it is (a code, PROJ, WKT), words to search, or nothing. */
export function crsInputKind(text: string): 'definition' | 'search' | 'empty' {
  const t = text.trim()
  if (t === '') return 'empty'
  if (/^\+\w+/.test(t) || /^(PROJCS|GEOGCS|PROJCRS|GEOGCRS|GEODCRS|COMPD_CS|BOUNDCRS)\s*\[/i.test(t)) return 'definition'
  return 'search'
}

/** How long after the last key a search is sent, ms: one search per pause, not per key. */
const SEARCH_DELAY_MS = 150

export class SetCrsDialog {
  readonly root: HTMLElement
  private readonly title: HTMLElement
  private readonly input: HTMLTextAreaElement
  private readonly results: HTMLElement
  private readonly message: HTMLElement
  private readonly apply: HTMLButtonElement
  private target: { done: (crs: CrsInfo) => void } | null = null
  private searchTimer: ReturnType<typeof setTimeout> | null = null
  /** Answers to older searches are dropped. */
  private searchCount = 0

  constructor(parent: HTMLElement, private readonly lookup: CrsLookup) {
    this.root = element('div', 'help-overlay crs-overlay', undefined, { 'data-testid': 'set-crs', role: 'dialog', 'aria-label': 'Set the layer’s CRS', 'aria-modal': 'true' })
    this.root.hidden = true
    const box = element('div', 'help-box crs-box')
    this.title = element('h2', 'help-title', 'Set CRS')
    const hint = element('p', 'crs-hint', 'An EPSG code (2154), words of its name (lambert 93), or a PROJ or WKT definition.')
    this.input = element('textarea', 'crs-input', undefined, { 'data-testid': 'set-crs-input', rows: '2', 'aria-label': 'CRS: EPSG code, name, PROJ or WKT', spellcheck: 'false' })
    this.results = element('ul', 'crs-results', undefined, { 'data-testid': 'set-crs-results', role: 'listbox' })
    this.message = element('p', 'crs-message', '', { 'data-testid': 'set-crs-message', role: 'status' })
    this.apply = element('button', 'crs-apply', 'Use this definition', { type: 'button', 'data-testid': 'set-crs-apply' })
    const cancel = element('button', 'crs-cancel', 'Cancel', { type: 'button', 'data-testid': 'set-crs-cancel' })
    const buttons = element('div', 'crs-buttons')
    buttons.append(this.apply, cancel)
    box.append(this.title, hint, this.input, this.results, this.message, buttons)
    this.root.append(box)
    parent.append(this.root)
    this.input.addEventListener('input', () => this.typed())
    this.input.addEventListener('keydown', (e) => {
      e.stopPropagation() // the viewer's shortcuts stay out of the text
      if (e.key === 'Escape') this.hide()
      else if (e.key === 'Enter' && !e.shiftKey) {
        e.preventDefault()
        const first = this.results.querySelector<HTMLElement>('[data-epsg]')
        if (crsInputKind(this.input.value) === 'definition') void this.choose(this.input.value)
        else if (first) void this.choose(`EPSG:${first.dataset.epsg}`)
      }
    })
    this.apply.addEventListener('click', () => void this.choose(this.input.value))
    cancel.addEventListener('click', () => this.hide())
    this.root.addEventListener('click', (e) => {
      if (e.target === this.root) this.hide()
    })
  }

  get open(): boolean {
    return !this.root.hidden
  }

  /** Opens the dialog for a layer; `done` gets the CRS chosen (not called when cancelled). */
  show(layerName: string, current: string | null, done: (crs: CrsInfo) => void): void {
    this.target = { done }
    this.title.textContent = `Set the CRS of ${layerName}`
    this.input.value = ''
    this.results.replaceChildren()
    this.say(current ? `Now: ${current}` : 'Now: unknown')
    this.root.hidden = false
    this.typed()
    this.input.focus()
  }

  hide(): void {
    this.root.hidden = true
    this.target = null
    if (this.searchTimer) clearTimeout(this.searchTimer)
  }

  private typed(): void {
    const kind = crsInputKind(this.input.value)
    this.apply.hidden = kind !== 'definition'
    if (this.searchTimer) clearTimeout(this.searchTimer)
    if (kind !== 'search') {
      this.results.replaceChildren()
      return
    }
    const query = this.input.value
    this.searchTimer = setTimeout(() => void this.search(query), SEARCH_DELAY_MS)
  }

  private async search(query: string): Promise<void> {
    const count = ++this.searchCount
    let matches: CrsMatch[]
    try {
      matches = await this.lookup.search(query)
    } catch (error) {
      if (count === this.searchCount) this.say(`Could not search: ${messageOf(error)}`)
      return
    }
    if (count !== this.searchCount || !this.open) return
    this.results.replaceChildren(
      ...matches.map((m) => {
        const item = element('li', 'crs-result', `EPSG:${m.epsg}  ${m.name}`, { role: 'option', 'data-epsg': String(m.epsg), 'data-testid': 'set-crs-result', tabindex: '0' })
        item.addEventListener('click', () => void this.choose(`EPSG:${m.epsg}`))
        item.addEventListener('keydown', (e) => {
          if (e.key === 'Enter') void this.choose(`EPSG:${m.epsg}`)
        })
        return item
      })
    )
    this.say(matches.length === 0 ? `No EPSG CRS matches “${query.trim()}”` : '')
  }

  /** Asks the host to describe a choice, and gives it to the layer; a refusal is said in the dialog. */
  private async choose(definition: string): Promise<void> {
    const target = this.target
    if (!target) return
    this.say('…')
    try {
      const crs = await this.lookup.describe(definition)
      if (this.target !== target) return
      this.hide()
      target.done(crs)
    } catch (error) {
      if (this.target === target) this.say(messageOf(error))
    }
  }

  private say(text: string): void {
    this.message.textContent = text
  }
}
