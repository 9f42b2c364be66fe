/**
 * Open URL… (Ctrl+L): the address of a GeoTIFF or COG on a server, which the host reads in place
 * by range requests (issue 24). The person types or pastes it, or picks one of the URLs opened
 * last; Enter opens, Esc, Cancel or a click outside closes. Text that is not an http(s) URL is
 * refused in the dialog, in words (`checkTypedUrl`, pure), and the dialog stays open; once opening,
 * it closes: a server's refusal is said in the error list, as a file's is.
 */
import { checkTypedUrl } from '../session/remoteUrls'
import { element } from './format'

export interface OpenUrlActions {
  /** Opens a URL (checked: http or https). */
  open(url: string): void
  /** The URLs opened last, newest first. */
  recent(): string[]
}

export class OpenUrlDialog {
  readonly root: HTMLElement
  private readonly input: HTMLInputElement
  private readonly message: HTMLElement
  private readonly recentList: HTMLElement
  private readonly recentTitle: HTMLElement

  constructor(parent: HTMLElement, private readonly actions: OpenUrlActions) {
    this.root = element('div', 'help-overlay url-overlay', undefined, { 'data-testid': 'open-url', role: 'dialog', 'aria-label': 'Open a URL', 'aria-modal': 'true' })
    this.root.hidden = true
    const box = element('div', 'help-box url-box')
    const title = element('h2', 'help-title', 'Open URL')
    const hint = element('p', 'url-hint', 'The http:// or https:// address of a GeoTIFF or COG: the host reads only the parts on screen.')
    this.input = element('input', 'url-input', undefined, {
      type: 'url',
      'data-testid': 'open-url-input',
      'aria-label': 'URL of a GeoTIFF or COG',
      placeholder: 'https://example.com/data/dem.tif',
      spellcheck: 'false',
      autocomplete: 'off'
    })
    this.message = element('p', 'url-message', '', { 'data-testid': 'open-url-message', role: 'status' })
    this.recentTitle = element('h3', 'url-recent-title', 'Recent')
    this.recentList = element('ul', 'url-recent', undefined, { 'data-testid': 'open-url-recent', role: 'listbox', 'aria-label': 'URLs opened last' })
    const open = element('button', 'url-open', 'Open', { type: 'button', 'data-testid': 'open-url-open' })
    const cancel = element('button', 'url-cancel', 'Cancel', { type: 'button', 'data-testid': 'open-url-cancel' })
    const buttons = element('div', 'url-buttons')
    buttons.append(open, cancel)
    box.append(title, hint, this.input, this.message, this.recentTitle, this.recentList, buttons)
    this.root.append(box)
    parent.append(this.root)
    this.input.addEventListener('keydown', (e) => {
      e.stopPropagation() // the viewer's shortcuts stay out of the text
      if (e.key === 'Escape') this.hide()
      else if (e.key === 'Enter') {
        e.preventDefault()
        this.submit(this.input.value)
      }
    })
    this.input.addEventListener('input', () => this.say(''))
    open.addEventListener('click', () => this.submit(this.input.value))
    cancel.addEventListener('click', () => this.hide())
    this.root.addEventListener('click', (e) => {
      if (e.target === this.root) this.hide()
    })
  }

  get open(): boolean {
    return !this.root.hidden
  }

  /** Opens the dialog, its field empty and focused, the recent URLs listed under it. */
  show(): void {
    this.input.value = ''
    this.say('')
    this.listRecent(this.actions.recent())
    this.root.hidden = false
    this.input.focus()
  }

  hide(): void {
    this.root.hidden = true
    this.input.blur() // the window's shortcuts are the keys' again
  }

  /** Opens `text` when it is an http(s) URL (the dialog closes), else says why in the dialog. */
  private submit(text: string): void {
    const checked = checkTypedUrl(text)
    if ('error' in checked) {
      this.say(checked.error)
      this.input.focus()
      return
    }
    this.hide()
    this.actions.open(checked.url)
  }

  private listRecent(urls: readonly string[]): void {
    this.recentTitle.hidden = urls.length === 0
    this.recentList.replaceChildren(
      ...urls.map((url) => {
        const item = element('li', 'url-recent-item', url, { role: 'option', tabindex: '0', title: url, 'data-testid': 'open-url-recent-item' })
        item.addEventListener('click', () => this.submit(url))
        item.addEventListener('keydown', (e) => {
          e.stopPropagation()
          if (e.key === 'Enter') this.submit(url)
          else if (e.key === 'Escape') this.hide()
        })
        return item
      })
    )
  }

  private say(text: string): void {
    this.message.textContent = text
  }
}
