/**
 * A profile as CSV (RFC 4180): distance, x, y, then one column per layer; no data is an empty
 * field. Numbers are written in full (JavaScript's shortest round-trip form), so that a value read
 * back is the sample itself.
 */

export interface ProfileTable {
  /** Heading of the distance column ("distance_m", "distance_units"). */
  distanceHeading: string
  distances: readonly number[]
  /** Map coordinates of each point, in the view's CRS. */
  points: ReadonlyArray<{ x: number; y: number }>
  columns: ReadonlyArray<{ name: string; values: ReadonlyArray<number | null> }>
}

/** The CSV text of a profile, lines ended by CRLF as RFC 4180 says. */
export function profileCsv(table: ProfileTable): string {
  const header = [table.distanceHeading, 'x', 'y', ...table.columns.map((c) => c.name)].map(field)
  const lines = [header.join(',')]
  table.distances.forEach((d, i) => {
    const p = table.points[i]!
    lines.push([d, p.x, p.y, ...table.columns.map((c) => c.values[i] ?? null)].map((v) => (v === null ? '' : String(v))).map(field).join(','))
  })
  return lines.join('\r\n') + '\r\n'
}

/** A field quoted when it holds a comma, a quote or a line break (its quotes doubled). */
function field(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}
