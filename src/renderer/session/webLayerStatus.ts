/**
 * What a web map layer's row says of it (issue 25): its service, and its state — its tiles on
 * their way, how many failed with the server's last words, or the server's error. Pure: the
 * counts come from the layer and the bridge's events (`webLayers.ts`).
 */
import type { WebServiceKind } from '../../shared/webLayers'
import { serviceLabel } from '../ui/webLayerChoice'

/** What is known of a web layer's loading now. */
export interface WebLayerHealth {
  service: WebServiceKind
  /** Tiles asked for and not arrived. */
  pending: number
  /** Tiles that failed since the layer opened and have not arrived since. */
  failed: number
  /** Of those, the tiles whose server failed for now: asked again while on screen. Default 0. */
  retrying?: number
  /** The last failure's message, as the host worded it (the server's words). */
  lastError: string | null
  /** An error of the layer itself (not of one tile), as the host worded it. */
  error: string | null
}

/** The row's words: its service's label, and its state with whether it is a failure. */
export interface WebLayerStatus {
  service: string
  state: 'ready' | 'loading' | 'failed'
  text: string
}

/** The status a row shows: the layer's error first, then failed tiles, then tiles on their way. */
export function webLayerStatus(health: WebLayerHealth): WebLayerStatus {
  const service = serviceLabel(health.service)
  if (health.error) return { service, state: 'failed', text: health.error }
  if (health.failed > 0) {
    const count = `${health.failed} ${health.failed === 1 ? 'tile' : 'tiles'} failed`
    const text = health.lastError ? `${count}: ${health.lastError}` : count
    const retrying = health.retrying ?? 0
    if (retrying === 0) return { service, state: 'failed', text }
    return { service, state: 'failed', text: `${text} (${retrying === health.failed ? (retrying === 1 ? 'asked' : 'all asked') : `${retrying} asked`} again while on screen)` }
  }
  if (health.pending > 0) return { service, state: 'loading', text: `loading ${health.pending} ${health.pending === 1 ? 'tile' : 'tiles'}…` }
  return { service, state: 'ready', text: '' }
}

/** True when two statuses read the same (the row is left alone). */
export function sameStatus(a: WebLayerStatus | null, b: WebLayerStatus | null): boolean {
  return a === b || (a !== null && b !== null && a.service === b.service && a.state === b.state && a.text === b.text)
}

/**
 * The tiles of one web layer that failed and have not arrived since: a tile that fails again
 * counts once, one that comes after all (the server is back, a retry loaded) no longer counts.
 * Keeps the last failure's message, the server's words, and which tiles failed for now (their
 * server's failure: asked again, `tileRetry.ts`).
 */
export class TileFailures {
  private readonly keys = new Set<string>()
  /** The failed tiles whose last failure was for now ('unavailable'). */
  private readonly passing = new Set<string>()
  private last: string | null = null

  /** Tile `key` failed with `message`; `retried`: its server failed for now, and it is asked again. */
  failed(key: string, message: string, retried = false): void {
    this.keys.add(key)
    if (retried) this.passing.add(key)
    else this.passing.delete(key)
    this.last = message
  }

  /** Tile `key` arrived: it no longer counts as failed. */
  arrived(key: string): void {
    this.keys.delete(key)
    this.passing.delete(key)
    if (this.keys.size === 0) this.last = null
  }

  get count(): number {
    return this.keys.size
  }

  /** How many of the failed tiles are asked again (their server failed for now). */
  get retrying(): number {
    return this.passing.size
  }

  /** The last failure's message while some tile counts as failed, else null. */
  get lastError(): string | null {
    return this.last
  }
}
