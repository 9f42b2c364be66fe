/**
 * Every event of the bridge, routed to the session's layers: tiles straight to the viewer (the
 * first ends a layer's opening), failed tiles by one route whatever their code, rasters the host
 * opened into their place, updates (a raster's whole-raster statistics too), progress, errors (a file the host failed to open gives up its
 * place), and the connection's loss and return (files and URLs the page opened are opened again).
 */
import type { Disposable, TesseraBridge } from '../bridge/types'
import type { ErrorInfo } from '../../shared/errors'
import type { OpenBatchSlot } from '../../shared/protocol'
import type { TileMessage } from '../../shared/protocol'
import type { RasterInfo } from '../../shared/raster'
import type { Viewer } from '../view/Viewer'
import type { FinalStatistics } from '../view/finalStatistics'
import { readErrorKey, type Session, type SessionMessages } from './Session'
import { tileFailureText } from './tileErrors'

export interface EventRoutes {
  bridge: TesseraBridge
  session: Session
  viewer: Viewer
  messages: SessionMessages
  /** Progress of a raster's long work (a pyramid build); 1 ends it. */
  progress(id: string, label: string, fraction: number): void
}

/** Routes every event of the bridge to the session; returns what stops it. */
export function routeBridgeEvents(routes: EventRoutes): Disposable {
  const { bridge, session, viewer } = routes
  let connectionLost = false

  /** A tile goes to its layer; the layer's first pixels end its opening. */
  const tileArrived = (tile: TileMessage): void => {
    viewer.receiveTile(tile)
    if (session.isWaitingForPixels(tile.header.rasterId)) session.firstPixels(tile.header.rasterId)
  }

  /**
   * A tile that will not come, one route whatever its code: the layer marks it (an 'overloaded'
   * tile, dropped by the service's cap, is asked for again while the view needs it, and an
   * 'unavailable' one, its server failing for now, after a wait: `tileRetry.ts`); a read that
   * failed is said once per layer.
   */
  const tileFailed = (rasterId: string, key: string, error: ErrorInfo): void => {
    viewer.tileFailed(rasterId, key, error.code)
    if (error.code === 'overloaded') return // the service's one 'overloaded' error per batch already says so
    const record = session.records.get(rasterId)
    if (!record || record.failed) return // one message per layer is enough
    record.failed = true
    routes.messages.show(`Could not read ${session.records.nameOf(rasterId) ?? 'a layer'}`, tileFailureText(error, key), { key: readErrorKey(rasterId) })
  }

  const updated = (rasterId: string, info: RasterInfo): void => {
    viewer.updateInfo(rasterId, info)
    const layer = viewer.layer(rasterId)
    if (layer) session.rows.upsert(session.entryOf(layer))
    if (info.pyramidReady) routes.progress(rasterId, '', 1)
  }

  /** A raster's whole-raster statistics: its stretch follows them (unless set by the person), its row shows them. */
  const statisticsFinal = (rasterId: string, update: FinalStatistics): void => {
    viewer.updateStatistics(rasterId, update)
    const layer = viewer.layer(rasterId)
    if (layer) session.rows.upsert(session.entryOf(layer))
  }

  /**
   * An error of the service or the connection. A file the host failed to open among files given
   * together gives up its place; a message about an open layer's file is that layer's one message
   * (its failed tiles say no more).
   */
  const serviceError = (error: ErrorInfo, rasterId: string | undefined, slot: OpenBatchSlot | undefined, file: string | undefined): void => {
    const batch = session.hostBatch(slot)
    if (batch && slot) session.failInBatch(batch, slot.index)
    // A file the host failed to open (command line, File > Open): said as a dropped file's failure is.
    if (file !== undefined) return void routes.messages.show(`Could not open ${file}`, error.message)
    const layer = (rasterId ? viewer.layer(rasterId) : undefined) ?? [...viewer.layers].reverse().find((l) => error.message.includes(l.info.name))
    if (!layer) return void routes.messages.show('Tessera service', error.message)
    session.records.ensure(layer.rasterId, layer.info.name).failed = true
    routes.messages.show(`Could not read ${session.records.nameOf(layer.rasterId) ?? layer.info.name}`, error.message, { key: readErrorKey(layer.rasterId) })
  }

  /**
   * Rasters belong to a connection. When it is lost, the layers wait; when a new one opens, the host
   * opens its command-line files again (same ids, same layers, served again when announced), and
   * files the person dropped and URLs the page opened, unknown to the new connection (their ids may
   * be given to other rasters), are taken down and opened again from the same Files and URLs.
   */
  const connectionChanged = (state: 'open' | 'closed'): void => {
    if (state === 'closed') {
      if (!connectionLost) {
        viewer.connectionLost()
        session.connectionLost()
      }
      connectionLost = true
      session.order.abandonNamed() // the host names its files again on the new connection
      return
    }
    if (!connectionLost) return
    connectionLost = false
    const dropped = session.records.withFiles().filter(({ rasterId }) => viewer.layer(rasterId) !== undefined)
    const byUrl = session.records.withUrls().filter(({ rasterId }) => viewer.layer(rasterId) !== undefined)
    for (const { rasterId } of [...dropped, ...byUrl]) session.forget(rasterId)
    void session.files.open(dropped.map(({ file }) => file))
    void session.urls.open(byUrl.map(({ url }) => url))
  }

  const offs = [
    bridge.on('tile', tileArrived),
    bridge.on('tile-failed', ({ rasterId, key, error }) => tileFailed(rasterId, key, error)),
    bridge.on('raster-opened', ({ rasterId, info, batch }) => session.add({ rasterId, info }, session.hostBatch(batch), batch?.index ?? 0)),
    bridge.on('raster-updated', ({ rasterId, info }) => updated(rasterId, info)),
    bridge.on('info-update', ({ rasterId, bandInfo, statistics }) => statisticsFinal(rasterId, { bandInfo, statistics })),
    bridge.on('progress', ({ rasterId, progress }) => routes.progress(rasterId, `Building the overviews of ${viewer.layer(rasterId)?.info.name ?? 'a file'}`, progress)),
    bridge.on('error', ({ error, rasterId, batch, file }) => serviceError(error, rasterId, batch, file)),
    bridge.on('connection', connectionChanged)
  ]
  return () => offs.forEach((off) => off())
}
