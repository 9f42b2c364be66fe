import type { Disposable } from './types'

type Listener<T> = (payload: T) => void

/** A set of listeners of one event; a listener that throws does not stop the others. */
export class Listeners<A extends unknown[]> {
  private readonly set = new Set<(...args: A) => void>()

  /** Adds a listener; the returned Disposable removes it (idempotent). */
  add(listener: (...args: A) => void): Disposable {
    const own = (...args: A): void => listener(...args) // the same function may be added twice
    this.set.add(own)
    return () => {
      this.set.delete(own)
    }
  }

  /** Calls every listener with `args`. */
  emit(...args: A): void {
    for (const listener of [...this.set]) call(listener, ...args)
  }

  get size(): number {
    return this.set.size
  }

  clear(): void {
    this.set.clear()
  }
}

/**
 * The listeners of every event of a map `M` (event name → payload). A listener that throws does
 * not stop the others. An event of a `replayed` name that comes while nobody listens to it is
 * kept, and handed to the next listener of that name (to it alone, once, in order, after `on`
 * returns).
 */
export class EventListeners<M extends object> {
  private readonly listeners = new Map<keyof M, Set<Listener<never>>>()
  private readonly unheard = new Map<keyof M, unknown[]>()

  constructor(private readonly replayed: ReadonlySet<keyof M>) {}

  /** Adds a listener of `event`; the returned Disposable removes it (idempotent). */
  on<E extends keyof M>(event: E, listener: Listener<M[E]>): Disposable {
    const own: Listener<M[E]> = (payload) => listener(payload) // the same function may be added twice
    const set = this.setOf(event)
    set.add(own)
    const unheard = this.unheard.get(event)
    if (unheard) {
      this.unheard.delete(event)
      queueMicrotask(() => {
        for (const payload of unheard as Array<M[E]>) {
          // Disposed before it heard them: they go to whoever listens now (or are kept again).
          if (set.has(own)) call(own, payload)
          else this.emit(event, payload)
        }
      })
    }
    return () => {
      set.delete(own)
    }
  }

  /** Calls every listener of `event` with `payload`; with none, keeps it if `event` is replayed. */
  emit<E extends keyof M>(event: E, payload: M[E]): void {
    const set = this.listeners.get(event)
    if (!set || set.size === 0) {
      if (!this.replayed.has(event)) return
      const kept = this.unheard.get(event)
      if (kept) kept.push(payload)
      else this.unheard.set(event, [payload])
      return
    }
    for (const listener of [...set] as Array<Listener<M[E]>>) call(listener, payload)
  }

  /** Drops every listener and every kept event. */
  clear(): void {
    for (const set of this.listeners.values()) set.clear()
    this.listeners.clear()
    this.unheard.clear()
  }

  private setOf<E extends keyof M>(event: E): Set<Listener<M[E]>> {
    let set = this.listeners.get(event)
    if (!set) {
      set = new Set()
      this.listeners.set(event, set)
    }
    return set as Set<Listener<M[E]>>
  }
}

function call<A extends unknown[]>(listener: (...args: A) => void, ...args: A): void {
  try {
    listener(...args)
  } catch (error) {
    console.error('[tessera bridge] a listener threw:', error)
  }
}
