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
  /** Tiles that failed since the layer opened. */
  failed: number
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
    return { service, state: 'failed', text: health.lastError ? `${count}: ${health.lastError}` : count }
  }
  if (health.pending > 0) return { service, state: 'loading', text: `loading ${health.pending} ${health.pending === 1 ? 'tile' : 'tiles'}…` }
  return { service, state: 'ready', text: '' }
}

/** True when two statuses read the same (the row is left alone). */
export function sameStatus(a: WebLayerStatus | null, b: WebLayerStatus | null): boolean {
  return a === b || (a !== null && b !== null && a.service === b.service && a.state === b.state && a.text === b.text)
}
