/**
 * Opening files: the empty-state drop zone (says what can be dropped), the highlight while files
 * are dragged over the window, and an Open button (the host's dialog in Electron, a file input in a
 * browser). Several files dropped at once open as several layers. A URL dropped (a link, a
 * browser's address bar) or pasted outside a text field opens too (`remoteUrls.ts` recognises it).
 */
import { element } from './format'
import { acceptList } from '../../shared/readableFormats'
import { mayCarryUrl, recogniseUrl, urlFromDragData } from '../session/remoteUrls'
import { typesText } from './Keyboard'

/** What Tessera opens, for people. */
export const OPENABLE = 'PNG, JPEG, TIFF / GeoTIFF (tiled, pyramidal, 16-bit, float), WebP, AVIF, HEIF, GIF, SVG'

/** The file picker's type filter: what Tessera reads (`readableFormats.ts`, the Electron dialog's too), and any image. */
export const OPEN_ACCEPT = `${acceptList()},image/*`

export interface DropZoneOptions {
  /** The window area that accepts drops and shows the highlight. */
  target: HTMLElement
  onFiles: (files: File[]) => void
  /** Electron's native dialog, when there is one; otherwise a file input is used. */
  onOpenDialog?: () => void
  /** An http(s) URL dropped or pasted (absent: only files are taken). */
  onUrl?: (url: string) => void
  /** A drop or paste of another scheme (`file:`, `ftp:`), or a drop of text that is no URL: what it was and why it does not open. */
  onUrlRefused?: (text: string, reason: string) => void
}

export class DropZone {
  readonly root: HTMLElement
  private depth = 0
  private readonly input: HTMLInputElement
  private readonly title: HTMLElement
  private readonly hint: HTMLElement

  constructor(private readonly options: DropZoneOptions) {
    this.root = element('div', 'drop-zone', undefined, { 'data-testid': 'drop-zone' })
    const box = element('div', 'drop-box')
    this.title = element('div', 'drop-title', 'Drop images here', { 'data-testid': 'drop-title' })
    this.hint = element('div', 'drop-hint', 'Several files open as several layers, or one at a time (b).')
    box.append(this.title, element('div', 'drop-formats', OPENABLE), this.hint)
    const open = element('button', 'drop-open', 'Open…', { type: 'button' })
    this.input = element('input', 'hidden-input', undefined, { type: 'file', multiple: '', accept: OPEN_ACCEPT, 'data-testid': 'open-input' })
    this.input.addEventListener('change', () => {
      const files = [...(this.input.files ?? [])]
      this.input.value = ''
      if (files.length > 0) options.onFiles(files)
    })
    open.addEventListener('click', () => this.openDialog())
    box.append(open, this.input)
    this.root.append(box)
    options.target.append(this.root)

    const t = options.target.ownerDocument
    t.addEventListener('dragenter', (e) => this.onDragEnter(e))
    t.addEventListener('dragover', (e) => this.onDragOver(e))
    t.addEventListener('dragleave', () => this.onDragLeave())
    t.addEventListener('drop', (e) => this.onDrop(e))
    if (options.onUrl) t.addEventListener('paste', (e) => this.onPaste(e))
  }

  /** Shows the empty state (no layer open) or hides it. */
  setEmpty(empty: boolean): void {
    this.root.classList.toggle('empty', empty)
  }

  /** Says which files are on their way (from the drop until their first pixels); none: the invitation again. */
  setOpening(names: readonly string[]): void {
    this.root.classList.toggle('opening', names.length > 0)
    const title = names.length === 0 ? 'Drop images here' : names.length === 1 ? `Opening ${names[0]}…` : `Opening ${names.length} files…`
    if (this.title.textContent !== title) this.title.textContent = title
  }

  /** Opens the host's dialog or the browser's file picker. */
  openDialog(): void {
    if (this.options.onOpenDialog) this.options.onOpenDialog()
    else this.input.click()
  }

  private onDragEnter(event: DragEvent): void {
    if (!this.accepts(event)) return
    event.preventDefault()
    this.depth++
    this.root.classList.add('dragging')
  }

  private onDragOver(event: DragEvent): void {
    if (!this.accepts(event)) return
    event.preventDefault()
    if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy'
    this.root.classList.add('dragging')
  }

  private onDragLeave(): void {
    this.depth = Math.max(0, this.depth - 1)
    if (this.depth === 0) this.root.classList.remove('dragging')
  }

  private onDrop(event: DragEvent): void {
    const data = event.dataTransfer
    const files = [...(data?.files ?? [])]
    // Text dropped into a text field is the field's (a URL into Open URL…'s field).
    if (files.length === 0 && typesText(event.target)) return
    event.preventDefault()
    this.depth = 0
    this.root.classList.remove('dragging')
    if (files.length > 0) return this.options.onFiles(files)
    if (!data || !this.options.onUrl) return
    const found = urlFromDragData({ types: [...data.types], getData: (type) => data.getData(type) })
    if (found.kind === 'url') this.options.onUrl(found.url)
    else if (found.kind === 'refused') this.options.onUrlRefused?.(found.text, found.reason)
    else if (mayCarryUrl([...data.types])) {
      const text = (data.getData('text/plain') || data.getData('text/uri-list')).trim()
      if (text !== '') this.options.onUrlRefused?.(text, 'expected files or an http:// or https:// URL')
    }
  }

  /**
   * Ctrl+V outside a text field: a URL on the clipboard opens; another scheme is refused in words.
   * Other text is left alone (a paste by mistake is not a request).
   */
  private onPaste(event: ClipboardEvent): void {
    if (typesText(event.target) || !event.clipboardData) return
    const found = recogniseUrl(event.clipboardData.getData('text/plain'))
    if (found.kind === 'none') return
    event.preventDefault()
    if (found.kind === 'url') this.options.onUrl?.(found.url)
    else this.options.onUrlRefused?.(found.text, found.reason)
  }

  /** True for a drag this zone takes: files, or (when URLs open) text that may be a URL. */
  private accepts(event: DragEvent): boolean {
    const types = event.dataTransfer?.types
    if (!types) return true
    const list = [...types]
    return list.includes('Files') || (this.options.onUrl !== undefined && mayCarryUrl(list))
  }
}
