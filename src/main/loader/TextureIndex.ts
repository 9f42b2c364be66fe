/**
 * Which requests belong to which texture, as intrusive doubly-linked lists threaded through the
 * requests themselves: adding and removing a request costs O(1) and allocates nothing, and
 * walking a texture's requests costs in proportion to that texture alone (DESIGN.md §1, "Cost").
 */
export interface TextureLink {
  readonly textureId: string
  prevInTexture: TextureLink | null
  nextInTexture: TextureLink | null
}

interface TextureList {
  head: TextureLink | null
  size: number
}

export class TextureIndex<E extends TextureLink> {
  private readonly lists = new Map<string, TextureList>()

  /** Links `entry` into its texture's list. O(1). */
  add(entry: E): void {
    let list = this.lists.get(entry.textureId)
    if (!list) this.lists.set(entry.textureId, (list = { head: null, size: 0 }))
    entry.prevInTexture = null
    entry.nextInTexture = list.head
    if (list.head) list.head.prevInTexture = entry
    list.head = entry
    list.size++
  }

  /** Unlinks `entry` (which must be linked). O(1). */
  remove(entry: E): void {
    const list = this.lists.get(entry.textureId)
    if (!list) return
    if (entry.prevInTexture) entry.prevInTexture.nextInTexture = entry.nextInTexture
    else list.head = entry.nextInTexture
    if (entry.nextInTexture) entry.nextInTexture.prevInTexture = entry.prevInTexture
    entry.prevInTexture = entry.nextInTexture = null
    if (--list.size === 0) this.lists.delete(entry.textureId)
  }

  /** The texture's entries, as an array (safe to unlink while iterating it). O(k). */
  entriesOf(textureId: string): E[] {
    const out: E[] = []
    for (let link = this.lists.get(textureId)?.head ?? null; link; link = link.nextInTexture) out.push(link as E)
    return out
  }

  /** Number of entries of a texture. O(1). */
  sizeOf(textureId: string): number {
    return this.lists.get(textureId)?.size ?? 0
  }

  clear(): void {
    this.lists.clear()
  }
}
