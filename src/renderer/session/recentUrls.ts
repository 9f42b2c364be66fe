/**
 * The URLs a person opened last (Open URL… lists them): the newest first, each once, a few at
 * most, in the page's storage so that they survive a restart. Storage that fails (private mode,
 * quota) or holds something else just forgets.
 */

/** The part of the Web Storage API the list uses. */
export interface RecentUrlStore {
  getItem(key: string): string | null
  setItem(key: string, value: string): void
}

/** Key of the list in the store. */
export const RECENT_URLS_KEY = 'tessera.recentUrls'

/** URLs kept: enough to find yesterday's server again, few enough to read at a glance. */
export const MAX_RECENT_URLS = 8

export class RecentUrls {
  constructor(
    private readonly store: RecentUrlStore | null,
    private readonly max = MAX_RECENT_URLS
  ) {}

  /** The URLs opened, newest first. A stored value that is not a list of strings reads as none. */
  list(): string[] {
    try {
      const text = this.store?.getItem(RECENT_URLS_KEY)
      if (!text) return []
      const value: unknown = JSON.parse(text)
      if (!Array.isArray(value)) return []
      return value.filter((u): u is string => typeof u === 'string').slice(0, this.max)
    } catch {
      return []
    }
  }

  /** Puts `url` first (moved there when it was already listed); the oldest beyond the limit go. */
  remember(url: string): void {
    const next = [url, ...this.list().filter((u) => u !== url)].slice(0, this.max)
    try {
      this.store?.setItem(RECENT_URLS_KEY, JSON.stringify(next))
    } catch {
      // A full or forbidden storage: the list holds what it held.
    }
  }
}
