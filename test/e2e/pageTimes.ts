/**
 * Times recorded in the page itself (Date.now(), the same clock as the test's), so that a delay is
 * measured from the event to the error entry on screen, without the test's polling in between.
 */
import type { Page } from '@playwright/test'

interface TimeGlobals {
  __e2eTimes: { drops: number[]; errors: Array<{ at: number; text: string }> }
  __tesseraDiagnostics?: { connectedAt(): number | null }
}

/**
 * Records in the page, before any of its scripts run: when files are dropped and when each error
 * entry appears (Date.now(), the same clock as the test's). When the connection opened, the app
 * says itself (`connectedAt`): its socket lives in the tile worker, out of an init script's reach.
 */
export async function recordTimes(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const g = globalThis as unknown as TimeGlobals & {
      document: { addEventListener(type: string, f: () => void, capture: boolean): void }
      MutationObserver: new (f: (records: Array<{ addedNodes: ArrayLike<{ dataset?: Record<string, string>; textContent: string | null }> }>) => void) => {
        observe(target: unknown, options: object): void
      }
    }
    g.__e2eTimes = { drops: [], errors: [] }
    g.document.addEventListener('drop', () => g.__e2eTimes.drops.push(Date.now()), true)
    new g.MutationObserver((records) => {
      for (const record of records) {
        for (const node of Array.from(record.addedNodes)) {
          if (node.dataset?.testid === 'error') g.__e2eTimes.errors.push({ at: Date.now(), text: node.textContent ?? '' })
        }
      }
    }).observe(g.document, { childList: true, subtree: true })
  })
}

/** What `recordTimes` has seen so far. */
export function recordedTimes(page: Page): Promise<TimeGlobals['__e2eTimes']> {
  return page.evaluate(() => (globalThis as unknown as TimeGlobals).__e2eTimes)
}

/** When the page's connection to the host first opened (the browser host opens its command-line files then), as the app recorded it. */
export async function connectedAt(page: Page): Promise<number> {
  const at = await page.evaluate(() => (globalThis as unknown as TimeGlobals).__tesseraDiagnostics?.connectedAt() ?? null)
  if (at === null) throw new Error('Expected the page to have connected to the host but it has not (or has no ?diagnostics)')
  return at
}

/** Milliseconds from `since` to the first error entry naming `name` that appeared at or after it. */
export async function errorDelay(page: Page, name: string, since: number): Promise<number> {
  const { errors } = await recordedTimes(page)
  const entry = errors.find((e) => e.at >= since && e.text.includes(name))
  if (!entry) throw new Error(`Expected an error entry naming ${name} recorded after ${since} but found none`)
  return entry.at - since
}
