/**
 * The web map layers of the session (issue 25): opened by `open-web-layer` and added to the
 * session as a file's layer is (on top, one record, one row), but with no File behind them — they
 * are opened again from their parameters, after a reconnection as at the next start. Each one's
 * row says its service and its state (tiles on their way, tiles failed with the server's last
 * words, the layer's error), and the list of web layers — parameters, order, visibility, opacity,
 * never tiles — is saved in the page's storage whenever it changes and reopened at start
 * (`webLayerList.ts` checks what is read back).
 */
import type { Disposable, TesseraBridge } from '../bridge/types'
import { messageOf } from '../../shared/errors'
import type { OpenedRaster } from '../../shared/protocol'
import { tileKey } from '../../shared/tiles'
import type { OpenBatch } from '../view/LayerOrder'
import type { Viewer } from '../view/Viewer'
import type { Session, SessionMessages } from './Session'
import { withoutTileKey } from './tileErrors'
import { isRetriedLater } from '../view/tileRetry'
import { readWebLayers, WEB_LAYERS_STORAGE_KEY, writeWebLayers, type StoredWebLayer, type WebLayerParams } from './webLayerList'
import { sameStatus, TileFailures, webLayerStatus, type WebLayerStatus } from './webLayerStatus'

export interface WebLayersDeps {
  bridge: Pick<TesseraBridge, 'calls' | 'on'>
  session: Session
  viewer: Viewer
  /** The page's storage (null where it is forbidden: nothing is saved). */
  storage: Storage | null
  messages: SessionMessages
}

/** What is known of one open web layer. */
interface WebLayerState {
  /** As it was opened: what opens it again. */
  params: WebLayerParams
  failures: TileFailures
  /** An error of the layer itself, as the host worded it. */
  error: string | null
  /** What its row says now. */
  status: WebLayerStatus | null
}

/** Key of the message said when the page's storage refuses the list (full, forbidden): said once. */
const SAVE_ERROR = 'web-layers-save'

export class WebLayers {
  private readonly layers = new Map<string, WebLayerState>()
  /** Reopenings under way (at start, after a reconnection): the list is not saved half-opened. */
  private reopening = 0
  /** The saved list has been read: before that, saving would overwrite it with nothing. */
  private restored = false
  /** The connection was lost with web layers open: they are opened again when it is back. */
  private lost = false
  private lastSaved: string | null = null
  private readonly subscriptions: Disposable[]

  constructor(private readonly deps: WebLayersDeps) {
    const { bridge } = deps
    this.subscriptions = [
      bridge.on('tile', (tile) => this.layers.get(tile.header.rasterId)?.failures.arrived(tileKey(tile.header))),
      bridge.on('tile-failed', ({ rasterId, key, error }) => {
        const state = this.layers.get(rasterId)
        if (!state || error.code === 'overloaded') return // dropped by the service's cap, asked again: not the server's failure
        state.failures.failed(key, withoutTileKey(error.message, key), isRetriedLater(error.code))
        this.update()
      }),
      bridge.on('error', ({ error, rasterId }) => {
        const state = rasterId ? this.layers.get(rasterId) : undefined
        if (!state) return
        state.error = error.message
        this.update()
      }),
      bridge.on('connection', (state) => this.connectionChanged(state))
    ]
  }

  /** True when the layer is a web layer of this session. */
  has(rasterId: string): boolean {
    return this.layers.has(rasterId)
  }

  /** Opens a web layer and adds it on top of the others; rejects with the host's words when it does not open. */
  async add(params: WebLayerParams): Promise<void> {
    const opened = await this.deps.bridge.calls['open-web-layer'](params)
    this.place(opened, params, null, 0)
    this.update()
  }

  /**
   * Opens the web layers saved by the last session, bottom first, each in its place whatever order
   * they open in. An entry that does not read back is dropped with a note; a layer that no longer
   * opens is said, and no longer saved.
   */
  async restore(): Promise<void> {
    if (this.restored) return
    this.restored = true
    let text: string | null = null
    try {
      text = this.deps.storage?.getItem(WEB_LAYERS_STORAGE_KEY) ?? null
    } catch (error) {
      this.deps.messages.show('Could not read the saved map layers', messageOf(error))
    }
    const { layers, notes } = readWebLayers(text)
    notes.forEach((note, i) => this.deps.messages.show('Saved map layers', note, { key: `web-layers-note-${i}` }))
    this.lastSaved = text
    await this.reopen(layers, 'saved')
  }

  /**
   * Keeps each web layer's row and the saved list true: called after every frame (tiles on their
   * way change) and every change of the layers. Cheap when nothing changed: no DOM, no storage.
   */
  update(): void {
    const { viewer, session } = this.deps
    for (const [rasterId, state] of this.layers) {
      const layer = viewer.layer(rasterId)
      if (!layer) {
        // Removed by the person, unless it is waiting for a lost connection to open again.
        if (!this.lost && this.reopening === 0) this.layers.delete(rasterId)
        continue
      }
      const status = webLayerStatus({ service: state.params.service, pending: layer.pendingCount, failed: state.failures.count, retrying: state.failures.retrying, lastError: state.failures.lastError, error: state.error })
      if (sameStatus(state.status, status)) continue
      state.status = status
      session.rows.setStatus?.(rasterId, status)
    }
    this.save()
  }

  dispose(): void {
    for (const off of this.subscriptions.splice(0)) off()
  }

  /** Adds an opened web layer to the session in its place, shown as saved. */
  private place(opened: OpenedRaster, params: WebLayerParams, batch: OpenBatch | null, index: number, shown?: { visible: boolean; opacity: number }): void {
    const { session, viewer } = this.deps
    this.layers.set(opened.rasterId, { params, failures: new TileFailures(), error: null, status: null })
    session.add(opened, batch, index)
    if (!shown) return
    if (shown.opacity !== 1) {
      viewer.setLayerOpacity(opened.rasterId, shown.opacity)
      session.rows.setOpacity?.(opened.rasterId, shown.opacity)
    }
    if (!shown.visible) {
      viewer.setLayerVisible(opened.rasterId, false)
      session.rows.setVisible(opened.rasterId, false)
      session.layersChanged()
    }
  }

  /**
   * Opens web layers again from their parameters (saved, or open before the connection was lost),
   * one after another, bottom first: the first one sets the view's CRS as it did when it was
   * added, and each next one is asked in it (opened all at once, whichever server answered first
   * would set it, another at each start).
   */
  private async reopen(list: ReadonlyArray<StoredWebLayer & { replaces?: string }>, why: 'saved' | 'reconnected'): Promise<void> {
    if (list.length === 0) return
    const { session, viewer, bridge, messages } = this.deps
    this.reopening++
    const batch = session.beginBatch(list.length)
    for (const [i, stored] of list.entries()) {
      // Asked in the view's CRS of now when the view has one (a file, or the layer under it), else as before.
      const viewCrs = viewer.viewCrs.id
      const params = viewCrs ? { ...stored.params, viewCrs } : stored.params
      try {
        const opened = await bridge.calls['open-web-layer'](params)
        this.place(opened, params, batch, i, stored)
        if (stored.replaces) session.cameBackAs(stored.replaces, opened.rasterId)
      } catch (error) {
        session.failInBatch(batch, i)
        const name = params.title ?? params.layer
        const after = why === 'saved' ? 'It is no longer among the saved map layers.' : 'It is closed.'
        messages.show(`Could not open the map layer ${name} again`, `${messageOf(error).replace(/\.$/, '')}. ${after}`)
      }
    }
    this.reopening--
    this.update()
  }

  /**
   * Rasters belong to a connection: when a new one opens after a loss, the web layers open were
   * forgotten by the host. They are taken down and opened again from their parameters, shown as
   * they were, each back in its place in the stack (`Session.cameBackAs`).
   */
  private connectionChanged(state: 'open' | 'closed'): void {
    if (state === 'closed') {
      if (this.layers.size > 0) this.lost = true
      return
    }
    if (!this.lost) return
    this.lost = false
    const { viewer, session } = this.deps
    const open = viewer.layers.filter((l) => this.layers.has(l.rasterId))
    const list = open.map((l) => ({ params: this.layers.get(l.rasterId)!.params, visible: l.visible, opacity: l.opacity, replaces: l.rasterId }))
    this.reopening++ // the list stays saved as it is while they open again
    for (const layer of open) {
      this.layers.delete(layer.rasterId)
      session.forget(layer.rasterId)
    }
    void this.reopen(list, 'reconnected').finally(() => {
      this.reopening--
      this.update()
    })
  }

  /** Saves the list of web layers (bottom first) when it changed; never half-opened, never before the saved one was read. */
  private save(): void {
    const { storage, viewer, messages } = this.deps
    if (!storage || !this.restored || this.reopening > 0 || this.lost) return
    const list = viewer.layers.flatMap((l) => {
      const state = this.layers.get(l.rasterId)
      return state ? [{ params: state.params, visible: l.visible, opacity: l.opacity }] : []
    })
    const text = list.length === 0 && this.lastSaved === null ? null : writeWebLayers(list)
    if (text === this.lastSaved) return
    try {
      if (text === null) storage.removeItem(WEB_LAYERS_STORAGE_KEY)
      else storage.setItem(WEB_LAYERS_STORAGE_KEY, text)
      this.lastSaved = text
      messages.dismiss(SAVE_ERROR)
    } catch (error) {
      this.lastSaved = text // said once; tried again at the next change
      messages.show('Could not save the map layers', messageOf(error), { key: SAVE_ERROR })
    }
  }
}
