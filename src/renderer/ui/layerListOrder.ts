/**
 * Keeps the layers list in the order the layers are drawn, the top one first: a layer that opens
 * after others given with it, but belongs under them, is listed where it went (LayersPanel lists
 * each new layer first). Items are the panel's `[data-raster-id]` elements.
 */

/** Reorders the items under `root` to match `bottomFirst` (the viewer's stack); others stay after them. */
export function arrangeLayerList(root: HTMLElement, bottomFirst: readonly string[]): void {
  const items = new Map<string, HTMLElement>()
  for (const item of root.querySelectorAll<HTMLElement>('[data-raster-id]')) items.set(item.dataset.rasterId ?? '', item)
  for (const rasterId of bottomFirst) {
    const item = items.get(rasterId)
    if (item?.parentElement && item.parentElement.firstElementChild !== item) item.parentElement.prepend(item)
  }
}
