/**
 * The attribution of the web map layers, written into a saved picture of the view: a picture of
 * OpenStreetMap's or a national agency's tiles carries their credit as the window shows it (the
 * same chip in the bottom-right corner, at the picture's scale). The layout is pure (measured text
 * widths in, boxes out); `stampAttribution` draws it on a 2D canvas.
 */

/** The chip as the window draws it (styles.css `.map-attribution`): CSS pixels, before the picture's scale. */
const FONT_PX = 11
const LINE_PX = 15
const PAD_X = 6
const PAD_Y = 2
/** The chip takes at most this share of the picture's width; a longer line is cut with an ellipsis. */
const MAX_WIDTH_SHARE = 0.7
const ELLIPSIS = '…'

export interface StampLine {
  text: string
  /** Right edge of the text (it is drawn right-aligned), canvas pixels. */
  right: number
  /** Baseline, canvas pixels. */
  baseline: number
}

export interface StampLayout {
  /** The chip's background. */
  box: { x: number; y: number; width: number; height: number }
  lines: StampLine[]
  fontPx: number
}

/**
 * Where each attribution line goes in a `width` × `height` picture drawn at `scale` canvas pixels
 * per screen pixel: one line each, the first on top, right-aligned in a chip in the bottom-right
 * corner; a line wider than the chip may be is cut at a character boundary and ends in "…".
 * `measure` gives a text's width in canvas pixels at the layout's font size. Null when there is
 * nothing to credit or no room for it.
 */
export function attributionStampLayout(lines: readonly string[], width: number, height: number, scale: number, measure: (text: string) => number): StampLayout | null {
  const texts = lines.map((line) => line.trim()).filter((line) => line !== '')
  if (texts.length === 0 || !(scale > 0)) return null
  const pad = { x: PAD_X * scale, y: PAD_Y * scale }
  const lineHeight = LINE_PX * scale
  const maxText = width * MAX_WIDTH_SHARE - 2 * pad.x
  if (maxText <= measure(ELLIPSIS)) return null
  const fitted = texts.map((text) => fitText(text, maxText, measure))
  const textWidth = Math.max(...fitted.map((text) => measure(text)))
  const box = { width: Math.ceil(textWidth + 2 * pad.x), height: Math.ceil(texts.length * lineHeight + 2 * pad.y), x: 0, y: 0 }
  if (box.height > height) return null
  box.x = width - box.width
  box.y = height - box.height
  // The baseline sits a quarter of the line below its middle, as a browser places 11 px text in a 15 px line.
  const firstBaseline = box.y + pad.y + lineHeight / 2 + (FONT_PX * scale) / 3
  return {
    box,
    lines: fitted.map((text, i) => ({ text, right: width - pad.x, baseline: firstBaseline + i * lineHeight })),
    fontPx: FONT_PX * scale
  }
}

/** `text` itself when it fits in `maxWidth`, else its longest start that fits with "…" after it. */
function fitText(text: string, maxWidth: number, measure: (text: string) => number): string {
  if (measure(text) <= maxWidth) return text
  const characters = [...text]
  let lo = 0
  let hi = characters.length
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2)
    if (measure(characters.slice(0, mid).join('').trimEnd() + ELLIPSIS) <= maxWidth) lo = mid
    else hi = mid - 1
  }
  return characters.slice(0, lo).join('').trimEnd() + ELLIPSIS
}

/** Draws the attribution chip of `lines` into `canvas` (a picture at `scale` canvas pixels per screen pixel). */
export function stampAttribution(canvas: HTMLCanvasElement, lines: readonly string[], scale: number): void {
  const ctx = canvas.getContext('2d')
  if (!ctx) return
  ctx.save()
  // Measured at the font it is drawn in; the copy's context may still be turned (`orientedCopy`).
  ctx.setTransform(1, 0, 0, 1, 0, 0)
  ctx.font = `${FONT_PX * scale}px system-ui, sans-serif`
  const layout = attributionStampLayout(lines, canvas.width, canvas.height, scale, (text) => ctx.measureText(text).width)
  if (!layout) {
    ctx.restore()
    return
  }
  ctx.fillStyle = 'rgba(32, 33, 36, 0.7)'
  ctx.fillRect(layout.box.x, layout.box.y, layout.box.width, layout.box.height)
  ctx.fillStyle = '#e8eaed'
  ctx.textAlign = 'right'
  ctx.textBaseline = 'alphabetic'
  for (const line of layout.lines) ctx.fillText(line.text, line.right, line.baseline)
  ctx.restore()
}
