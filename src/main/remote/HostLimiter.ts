/**
 * At most N requests at once per host, for the whole process (a browser's 6): a FIFO semaphore per
 * host. Node's global fetch keeps connections alive and opens as many as there are requests, so
 * bounding the requests bounds the connections too. A host on HTTP/2 has one connection whatever
 * the requests: its limit is widened to its session's streams (`setLimit`).
 */
import { abortError } from './errors'

interface Waiting {
  grant: (release: () => void) => void
}

interface HostSlots {
  active: number
  queue: Waiting[]
}

export class HostLimiter {
  private readonly hosts = new Map<string, HostSlots>()
  /** Hosts whose connection carries more than one request at once (an HTTP/2 session): their own limit. */
  private readonly widened = new Map<string, number>()
  private peak = 0

  constructor(readonly perHost: number) {
    if (!Number.isInteger(perHost) || perHost < 1) throw new TypeError(`Expected a positive integer for perHost but received ${String(perHost)}`)
  }

  /**
   * Resolves with a release function once a slot of `host` is free; rejects with an AbortError
   * (leaving the queue) when `signal` aborts first. Call the release exactly once (more is harmless).
   */
  acquire(host: string, signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(abortError(`Waiting for a connection to ${host}`))
    const slots = this.slotsOf(host)
    return new Promise((resolve, reject) => {
      const waiting: Waiting = {
        grant: (release) => {
          signal?.removeEventListener('abort', onAbort)
          resolve(release)
        }
      }
      const onAbort = (): void => {
        const at = slots.queue.indexOf(waiting)
        if (at >= 0) slots.queue.splice(at, 1)
        this.forgetIfIdle(host, slots)
        reject(abortError(`Waiting for a connection to ${host}`))
      }
      signal?.addEventListener('abort', onAbort, { once: true })
      slots.queue.push(waiting)
      this.grantFree(host, slots)
    })
  }

  /**
   * Requests of `host` allowed at once from now on: an HTTP/2 origin's concurrent streams, or null
   * for the default again (its session closed). Waiting requests start at once when it widens.
   */
  setLimit(host: string, limit: number | null): void {
    if (limit === null) this.widened.delete(host)
    else {
      if (!Number.isInteger(limit) || limit < 1) throw new TypeError(`Expected a positive integer for limit but received ${String(limit)}`)
      this.widened.set(host, limit)
    }
    const slots = this.hosts.get(host)
    if (slots) this.grantFree(host, slots)
  }

  /** Requests of `host` allowed at once. */
  limitOf(host: string): number {
    return this.widened.get(host) ?? this.perHost
  }

  /** Requests of `host` running now. */
  active(host: string): number {
    return this.hosts.get(host)?.active ?? 0
  }

  /** Most requests that ran at once for any one host since this limiter was made (for tests). */
  get peakActive(): number {
    return this.peak
  }

  private slotsOf(host: string): HostSlots {
    let slots = this.hosts.get(host)
    if (!slots) {
      slots = { active: 0, queue: [] }
      this.hosts.set(host, slots)
    }
    return slots
  }

  private grantFree(host: string, slots: HostSlots): void {
    while (slots.active < this.limitOf(host) && slots.queue.length > 0) {
      const next = slots.queue.shift()!
      slots.active++
      this.peak = Math.max(this.peak, slots.active)
      let released = false
      next.grant(() => {
        if (released) return
        released = true
        slots.active--
        this.grantFree(host, slots)
        this.forgetIfIdle(host, slots)
      })
    }
  }

  private forgetIfIdle(host: string, slots: HostSlots): void {
    if (slots.active === 0 && slots.queue.length === 0 && this.hosts.get(host) === slots) this.hosts.delete(host)
  }
}
