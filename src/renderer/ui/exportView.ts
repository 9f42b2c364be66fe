/**
 * Export: the view as a PNG (what the window shows, turned as it is shown) and the text of the
 * readout under the cursor for the clipboard.
 */
import type { Readout } from './StatusBar'
import { formatReadoutValues, latLonText, mapPointText } from './StatusBar'
import type { Orientation } from '../view/screenOrientation'

/**
 * Draws a just-rendered WebGL canvas (read in the same task) into a 2D canvas of the size seen on
 * screen, turned and mirrored as the view is.
 */
export function orientedCopy(source: HTMLCanvasElement, orientation: Orientation): HTMLCanvasElement {
  const swap = orientation.quarterTurns % 2 === 1
  const out = document.createElement('canvas')
  out.width = swap ? source.height : source.width
  out.height = swap ? source.width : source.height
  const ctx = out.getContext('2d')!
  ctx.translate(out.width / 2, out.height / 2)
  ctx.rotate((orientation.quarterTurns * Math.PI) / 2)
  if (orientation.flipped) ctx.scale(-1, 1)
  ctx.drawImage(source, -source.width / 2, -source.height / 2)
  return out
}

/** Saves a canvas as `<name>.png` through the browser's download (Electron: its save dialog). */
export function downloadPng(canvas: HTMLCanvasElement, fileName: string): Promise<void> {
  return new Promise((resolve, reject) => {
    canvas.toBlob((blob) => {
      if (!blob) return reject(new Error(`Expected a PNG of the view but the canvas (${canvas.width} × ${canvas.height}) gave none`))
      const url = URL.createObjectURL(blob)
      const link = document.createElement('a')
      link.href = url
      link.download = fileName
      document.body.append(link)
      link.click()
      link.remove()
      setTimeout(() => URL.revokeObjectURL(url), 10_000)
      resolve()
    }, 'image/png')
  })
}

/** "dem.tif · x 120, y 45 · value 331 · map 500240.00, 5999910.00 (EPSG:32631) · 50.1°N 3.0°E" (pure). */
export function readoutText(readout: Readout): string {
  const parts: string[] = []
  if (readout.layer) parts.push(readout.layer)
  if (readout.x !== undefined && readout.y !== undefined) parts.push(`x ${Math.floor(readout.x)}, y ${Math.floor(readout.y)}`)
  const values = formatReadoutValues(readout.values)
  if (values) parts.push(`value ${values}`)
  const map = readout.map
  if (map) {
    parts.push(`map ${mapPointText(map)}`)
    const latLon = latLonText(map)
    if (latLon) parts.push(latLon)
  }
  return parts.join(' · ')
}

/** Puts text on the clipboard (the async API where allowed, else a selection copied the old way). */
export async function copyText(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text)
    return
  } catch {
    // Not allowed here (no permission, not focused): fall back to a selection.
  }
  const area = document.createElement('textarea')
  area.value = text
  area.style.position = 'fixed'
  area.style.opacity = '0'
  document.body.append(area)
  area.select()
  const copied = document.execCommand('copy')
  area.remove()
  if (!copied) throw new Error('The clipboard refused the text')
}
