import type { Disposable } from './types'

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
    for (const listener of [...this.set]) {
      try {
        listener(...args)
      } catch (error) {
        console.error('[tessera bridge] a listener threw:', error)
      }
    }
  }

  get size(): number {
    return this.set.size
  }

  clear(): void {
    this.set.clear()
  }
}
