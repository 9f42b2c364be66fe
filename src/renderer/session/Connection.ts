/**
 * The page's connection to its Tessera host as a person sees it: connecting, open or closed, and
 * whether it ever opened (a page that never reached its host says why; one that did is
 * reconnecting). Watched from the bridge's creation, since its first 'open' may come before the
 * viewer is ready. The layers' side of a reconnection is the session's (`Session`).
 */
import type { Disposable, TesseraBridge } from '../bridge/types'

/** What the connection shows: its messages, one at a time under one key. */
export interface ConnectionMessages {
  show(title: string, message: string, options: { key: string }): void
  dismiss(key: string): void
}

export type ConnectionState = 'connecting' | 'open' | 'closed'

export class Connection {
  private stateValue: ConnectionState
  private everOpen: boolean
  /** When the connection first opened (Date.now(): the clock tests compare with). */
  private firstOpenedAt: number | null
  private readonly subscription: Disposable

  constructor(bridge: TesseraBridge, private readonly messages: ConnectionMessages) {
    // Electron's port is open from the start; a WebSocket connects.
    this.stateValue = bridge.kind === 'electron' ? 'open' : 'connecting'
    this.everOpen = this.stateValue === 'open'
    this.firstOpenedAt = this.everOpen ? Date.now() : null
    this.subscription = bridge.on('connection', (state) => this.changed(state))
  }

  get state(): ConnectionState {
    return this.stateValue
  }

  get open(): boolean {
    return this.stateValue === 'open'
  }

  /** True once the connection has opened at least once. */
  get everConnected(): boolean {
    return this.everOpen
  }

  /** When the connection first opened (ms since the epoch), or null. */
  get connectedAt(): number | null {
    return this.firstOpenedAt
  }

  /** Why a drop cannot be received now, or null when it can. */
  refusal(): string | null {
    if (this.stateValue !== 'closed') return null
    return this.everOpen ? 'the connection to the Tessera host is lost; drop them again once it is back' : 'Tessera is not connected to its host (see the message above)'
  }

  dispose(): void {
    this.subscription()
  }

  private changed(state: 'open' | 'closed'): void {
    this.stateValue = state
    if (state === 'open') {
      this.everOpen = true
      this.firstOpenedAt ??= Date.now()
      this.messages.dismiss(CONNECTION_ERROR)
    } else if (this.everOpen) {
      this.messages.show('Connection to the Tessera service lost', 'reconnecting…', { key: CONNECTION_ERROR })
    } else {
      this.messages.show('Could not connect to the Tessera host', NEVER_CONNECTED, { key: CONNECTION_ERROR })
    }
  }
}

/** Key of the connection's message (one at a time: lost, never opened). */
export const CONNECTION_ERROR = 'connection'

/** What a page that never reached its host says: most often a URL without its token, or a stale one. */
export const NEVER_CONNECTED =
  'The host refused this page or is not running (a missing or old token). Open the URL printed by npm run serve, with its ?token=…, in this browser.'
