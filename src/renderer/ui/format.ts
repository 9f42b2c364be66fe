/** Formatting of numbers for people (status bar, layer info). Pure functions. */

/** "1.5 MB", "640 KB", "12 B". */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '?'
  const units = ['B', 'KB', 'MB', 'GB', 'TB']
  let value = bytes
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  return `${unit === 0 ? value : value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`
}

/** Zoom as a percentage: "100 %", "12.5 %", "3200 %". */
export function formatZoom(zoom: number): string {
  const percent = zoom * 100
  const digits = percent >= 100 ? 0 : percent >= 10 ? 1 : 2
  return `${Number(percent.toFixed(digits))} %`
}

/** A sample value: integers as they are, floats with up to 4 significant decimals. */
export function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN'
  if (Number.isInteger(value)) return String(value)
  return String(Number(value.toPrecision(6)))
}

/**
 * Where a value read from a reduced level comes from, in words: "from a 1:4 overview" for level 2
 * (each level halves the one before); empty at full resolution.
 */
export function overviewNote(level: number): string {
  if (!(level > 0)) return ''
  return `from a 1:${2 ** level} overview`
}

/** Map coordinate: metres-like numbers with 2 decimals, degrees with 6. */
export function formatMapCoordinate(value: number, degrees: boolean): string {
  return degrees || Math.abs(value) <= 360 ? value.toFixed(6) : value.toFixed(2)
}

/** Creates an element with a class, optional text and attributes. */
export function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className?: string,
  text?: string,
  attributes: Record<string, string> = {}
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag)
  if (className) el.className = className
  if (text !== undefined) el.textContent = text
  for (const [name, value] of Object.entries(attributes)) el.setAttribute(name, value)
  return el
}
