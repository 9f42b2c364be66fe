/**
 * Showing several files: stacked as layers (all visible, the last on top) or one at a time, as an
 * image browser does (previous / next show the neighbour alone). Names for people: each layer's
 * unique display name, the window title and the browse position. Pure functions.
 */

export type ViewMode = 'stack' | 'browse'

/** The index `step` away from `index` among `count` files, wrapping at both ends. */
export function browseStep(index: number, count: number, step: number): number {
  if (count <= 0) return 0
  return (((index + step) % count) + count) % count
}

/** "2 / 5  dem.tif": the 1-based position of the file shown and its name. */
export function browsePosition(index: number, count: number, name: string): string {
  return `${index + 1} / ${count}  ${name}`
}

/** The window title: the active file's name (with its position while browsing), then the application's. */
export function windowTitle(active: { name: string; index: number; count: number } | null, mode: ViewMode): string {
  if (!active) return 'Tessera'
  const where = mode === 'browse' && active.count > 1 ? ` (${active.index + 1} of ${active.count})` : ''
  return `${active.name}${where} — Tessera`
}

/**
 * A name for each layer that no other layer shares: the file's name, then " (2)", " (3)"… for the
 * second and later layers of the same name, in the order given (stable as layers come and go only
 * if the caller keeps the order).
 */
export function uniqueNames(names: readonly string[]): string[] {
  const seen = new Map<string, number>()
  const taken = new Set(names)
  return names.map((name) => {
    const count = (seen.get(name) ?? 0) + 1
    seen.set(name, count)
    if (count === 1) return name
    let n = count
    while (taken.has(`${name} (${n})`)) n++
    taken.add(`${name} (${n})`)
    return `${name} (${n})`
  })
}
