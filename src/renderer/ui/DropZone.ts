/**
 * Opening files: the empty-state drop zone (says what can be dropped), the highlight while files
 * are dragged over the window, and an Open button (the host's dialog in Electron, a file input in a
 * browser). Several files dropped at once open as several layers.
 */
import { element } from './format'
import { acceptList } from '../../shared/readableFormats'

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
    if (!hasFiles(event)) return
    event.preventDefault()
    this.depth++
    this.root.classList.add('dragging')
  }

  private onDragOver(event: DragEvent): void {
    if (!hasFiles(event)) return
    event.preventDefault()
    if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy'
    this.root.classList.add('dragging')
  }

  private onDragLeave(): void {
    this.depth = Math.max(0, this.depth - 1)
    if (this.depth === 0) this.root.classList.remove('dragging')
  }

  private onDrop(event: DragEvent): void {
    event.preventDefault()
    this.depth = 0
    this.root.classList.remove('dragging')
    const files = [...(event.dataTransfer?.files ?? [])]
    if (files.length > 0) this.options.onFiles(files)
  }
}

function hasFiles(event: DragEvent): boolean {
  const types = event.dataTransfer?.types
  return !types || [...types].includes('Files')
}
