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
 * A sample as its band holds it: a Float32 sample as the shortest decimal that reads back as the
 * same Float32 (10.735209, not the 10.735209465026855 its double spelling gives, which claims
 * digits the file never had), others as JavaScript writes them (exact for integers and Float64).
 * Without its sample type, a fraction a Float32 holds exactly is taken for one (the readout's
 * values of several layers), an integer never (an Int32 sample stays whole).
 */
export function formatSample(value: number, sampleType?: string): string {
  if (!Number.isFinite(value)) return formatValue(value)
  const float32 = sampleType === undefined ? !Number.isInteger(value) && Math.fround(value) === value : sampleType === 'float32'
  if (!float32) return String(value)
  for (let digits = 1; digits < 9; digits++) {
    const text = String(Number(value.toPrecision(digits)))
    if (Math.fround(Number(text)) === value) return text
  }
  return String(Number(value.toPrecision(9)))
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
