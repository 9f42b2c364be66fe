/**
 * The layers of this page's session, from the moment a file opens to the moment its layer is
 * closed: one record per layer (`LayerRecords`), their place in the stack (`LayerOrder`), which are
 * shown (`LayerShowing`), and their rows in the layers list. Opening files (uploads, previews) is
 * `FileOpener`'s, which hands each opened raster to `add`; the bridge's events come through
 * `routeBridgeEvents`; each picture browsed keeps its turn of the view (`PerImageOrientation`).
 */
import type { Disposable } from '../bridge/types'
import { Listeners } from '../bridge/listeners'
import type { OpenBatchSlot, OpenedRaster } from '../../shared/protocol'
import { messageOf } from '../../shared/errors'
import type { LayerEntry } from '../ui/LayersPanel'
import { arrangeLayerList } from '../ui/layerListOrder'
import { uniqueNames } from '../ui/browsing'
import { LayerShowing } from '../ui/LayerShowing'
import { LayerOrder, type OpenBatch } from '../view/LayerOrder'
import { fitTargets } from '../view/map/extent'
import type { TileLayer } from '../view/TileLayer'
import { LayerRecords } from './LayerRecords'
import type { CrsInfo } from '../../shared/raster'
import { crsOfGeoreference } from '../view/map/crs'
import { crsLabel } from '../view/map/placement'
import { FileOpener } from './openFiles'
import { UrlOpener } from './openUrls'
import { PerImageOrientation } from './PerImageOrientation'
import { ReturningStack } from './returningStack'
import type { LayerRows, SessionDeps, ShownState } from './types'
import { shownState } from './shownState'

export type { LayerRows, SessionDeps, SessionMessages, SessionUi, ShownState } from './types'

type View = { centerX: number; centerY: number; zoom: number }

export class Session {
  readonly records = new LayerRecords()
  /** Where layers go: files given together stack in the order given, whatever order they open in. */
  readonly order = new LayerOrder()
  /** How several layers are shown: stacked (each its own eye), or one at a time (browsing). */
  readonly showing: LayerShowing
  readonly rows: LayerRows
  readonly files: FileOpener
  /** Rasters opened by URL (Open URL…, a URL dropped or pasted): read by the host over HTTP. */
  readonly urls: UrlOpener
  /** The camera as the last automatic fit left it: the view refits as files come, until the user moves. */
  private fittedView: View | null = null
  /** The files given together that are browsed one at a time because none of the first to open was georeferenced. */
  private browsedBatch: OpenBatch | null = null
  /** Each picture browsed keeps its own turn of the view. */
  private readonly orientations: PerImageOrientation
  private readonly subscriptions: Disposable[] = []
  /** The stack as the connection was lost: what is opened again goes back where it was. */
  private readonly returning = new ReturningStack()
  private readonly shownListeners = new Listeners<[ShownState]>()
  private readonly openingListeners = new Listeners<[readonly string[]]>()

  constructor(private readonly deps: SessionDeps) {
    const { viewer } = deps
    this.showing = new LayerShowing({
      layers: () => viewer.layers,
      setVisible: (id, visible) => {
        viewer.setLayerVisible(id, visible)
        this.rows.setVisible(id, visible)
      },
      fitTo: (id) => viewer.fitLayers([id]),
      select: (id) => this.rows.setSelected(id),
      moveTo: (id, index) => {
        viewer.moveLayer(id, index)
        arrangeLayerList(this.rows.root, viewer.layers.map((l) => l.rasterId))
      },
      changed: () => this.layersChanged(),
      browsedChanged: (_previous, next) => this.orientations.browsed(next)
    })
    this.rows = deps.makeRows({
      setVisible: (id, visible) => {
        viewer.setLayerVisible(id, visible)
        this.layersChanged()
      },
      setOpacity: (id, opacity) => {
        viewer.setLayerOpacity(id, opacity)
        deps.ui.pictureChanged()
      },
      remove: (id) => this.remove(id),
      zoomTo: (id) => viewer.fitLayers([id]),
      setStretch: (id, settings) => {
        viewer.layer(id)?.setStretch(settings)
        deps.ui.pictureChanged()
        viewer.requestFrame()
      },
      setHiddenClasses: (id, hidden) => {
        viewer.layer(id)?.setHiddenClasses(hidden)
        deps.ui.pictureChanged()
        viewer.requestFrame()
      },
      solo: (id) => this.showing.solo(id),
      moveOnto: (id, targetId) => this.showing.moveOnto(id, targetId),
      setCrs: (id) => {
        const crs = crsOfGeoreference(viewer.georeferenceOf(id))
        deps.askCrs(this.records.nameOf(id) ?? viewer.layer(id)?.info.name ?? 'the layer', crs ? crsLabel(crs) : null, (chosen) => this.setLayerCrs(id, chosen))
      }
    })
    this.files = new FileOpener({
      bridge: deps.bridge,
      viewer,
      connection: deps.connection,
      messages: deps.messages,
      ui: deps.ui,
      mark: deps.mark,
      target: this,
      openingChanged: () => this.showOpening()
    })
    this.urls = new UrlOpener({
      openUrl: (url) => deps.bridge.calls['open-url']({ url }),
      connection: deps.connection,
      messages: deps.messages,
      mark: deps.mark,
      target: this,
      opened: (url) => deps.urlOpened?.(url),
      openingChanged: () => this.showOpening()
    })
    this.orientations = new PerImageOrientation({
      view: deps.orientation,
      orientationOf: (id) => this.records.get(id)?.orientation,
      setOrientationOf: (id, o) => {
        const record = this.records.get(id)
        if (record) record.orientation = o
      },
      browsed: () => this.showing.browsed,
      turned: () => {
        // Fitted again to the turned screen once the canvas has its new size.
        void deps.orientationSettled().then(() => {
          deps.fitShown()
          this.markFitted()
        })
        viewer.requestFrame()
      }
    })
    this.subscriptions.push(viewer.onPlacementsChanged(() => this.refreshPlacements())) // a CRS found in the definitions list: reprojected now
  }

  /** Calls `listener` whenever which files are shown, or how, changes. */
  onShown(listener: (state: ShownState) => void): Disposable {
    return this.shownListeners.add(listener)
  }

  /** Calls `listener` with the names of the files opening (uploading, or open and waiting for their first pixels) whenever they change. */
  onOpening(listener: (names: readonly string[]) => void): Disposable {
    return this.openingListeners.add(listener)
  }

  /** A new place for files given together (a drop, a pick), in the order given. */
  beginBatch(size: number): OpenBatch {
    return this.order.begin(size)
  }

  /** A file of a batch failed to open: its place is given up. */
  failInBatch(batch: OpenBatch, index: number): void {
    this.order.fail(batch, index)
  }

  /** True while a layer has not drawn its first pixels (its preview may still stand for it). */
  isWaitingForPixels(rasterId: string): boolean {
    return this.records.get(rasterId)?.waitingForPixels ?? false
  }

  /**
   * Puts an opened raster in its slot (`index` of `batch`; on top when it came alone), lists it
   * where it went, and fits the first view to all of its files opened so far. `origin` is the File
   * or the URL it was opened from, if any (opened again from it after a reconnection).
   */
  add(opened: OpenedRaster, batch: OpenBatch | null = null, index = 0, origin: File | string | null = null): TileLayer {
    const { viewer } = this.deps
    const wasEmpty = viewer.layers.length === 0
    const placement = this.order.place(batch ?? this.order.begin(1), batch ? index : 0, opened.rasterId)
    const layer = placement.isNew ? viewer.addLayer(opened, { below: placement.below, fit: false }) : viewer.addLayer(opened)
    const record = this.records.ensure(opened.rasterId, opened.info.name)
    record.name = opened.info.name
    if (typeof origin === 'string') record.url = origin
    else if (origin) record.file = origin
    if (placement.isNew) {
      record.waitingForPixels = true
      record.batch = batch
      // A CRS the person set for this file before: placed as they said.
      const remembered = opened.info.georeference ? this.deps.crsMemory.recall(opened.info) : null
      if (remembered) viewer.setLayerCrs(opened.rasterId, remembered)
    }
    this.rows.upsert(this.entryOf(layer))
    this.rows.setLoading(opened.rasterId, record.waitingForPixels)
    if (placement.isNew) {
      if (wasEmpty && batch && batch.size > 1 && opened.info.georeference === null && this.showing.mode === 'stack') this.browseBatch(batch)
      else if (batch !== null && batch === this.browsedBatch && opened.info.georeference !== null) this.stackBatch()
      this.showing.added(opened.rasterId, batch)
    }
    this.rows.setVisible(opened.rasterId, layer.visible)
    this.refreshPlacements()
    // Opened again after a lost connection from the File or URL of a layer then: back in its place.
    if (placement.isNew && origin !== null && this.returning.cameBack(opened.rasterId, { origin })) this.restack()
    arrangeLayerList(this.rows.root, viewer.layers.map((l) => l.rasterId))
    this.showOpening()
    this.layersChanged()
    const stillFitted = this.fittedView !== null && sameView(viewer.view, this.fittedView)
    if (this.showing.mode === 'browse') {
      // Browsing fits the file shown (LayerShowing); nothing else to fit.
    } else if (placement.fit && (placement.fit.length === 1 || stillFitted)) {
      viewer.fitLayers(fitTargets(placement.fit.flatMap((id) => viewer.layer(id) ?? [])))
      this.fittedView = { ...viewer.view }
    } else if (placement.isNew && layer.visible && stillFitted) {
      // The user has not moved since the last fit: a layer added later is fitted with the others shown.
      this.deps.fitShown()
      this.fittedView = { ...viewer.view }
    }
    if (this.showing.mode === 'browse' && this.showing.browsed === opened.rasterId) this.fittedView = { ...viewer.view }
    if (opened.info.strategy === 'pyramid' && !opened.info.pyramidReady) {
      this.deps.ui.progress(opened.rasterId, `Building the overviews of ${opened.info.name}`, 0)
    }
    return layer
  }

  /** The connection to the service is lost: the stack is remembered, for the layers opened again on the next one. */
  connectionLost(): void {
    this.returning.remember(
      this.deps.viewer.layers.map((l) => {
        const record = this.records.get(l.rasterId)
        return { rasterId: l.rasterId, origin: record?.file ?? record?.url ?? null }
      })
    )
  }

  /** Layer `rasterId` was opened again (a web layer, from its parameters) in place of `replaced`, lost with the connection: back in its place. */
  cameBackAs(replaced: string, rasterId: string): void {
    if (!this.returning.cameBack(rasterId, { replaces: replaced })) return
    this.restack()
    arrangeLayerList(this.rows.root, this.deps.viewer.layers.map((l) => l.rasterId))
    this.layersChanged()
  }

  /** Puts the layers in the order the lost connection left (those opened since stay on top). */
  private restack(): void {
    const { viewer } = this.deps
    this.returning.order(viewer.layers.map((l) => l.rasterId)).forEach((id, index) => {
      if (viewer.layers[index]?.rasterId !== id) viewer.moveLayer(id, index)
    })
  }

  /** Takes a layer off the screen and the list (not off the service). */
  forget(rasterId: string): void {
    this.order.remove(rasterId)
    this.deps.viewer.removeLayer(rasterId)
    this.rows.remove(rasterId)
    this.records.delete(rasterId)
    this.refreshPlacements()
    this.deps.ui.progress(rasterId, '', 1)
    this.deps.messages.dismiss(readErrorKey(rasterId))
    this.showing.removed(rasterId)
    this.showOpening()
    this.layersChanged()
  }

  /** Closes a layer: off the screen and the list, and its raster off the service. */
  remove(rasterId: string): void {
    this.forget(rasterId)
    this.deps.bridge.close(rasterId).catch((error: unknown) => this.deps.messages.show('Could not close a layer', messageOf(error)))
  }

  /** The entry of a layer's row: its info (with the CRS it is placed by), display, placement note and unique name. */
  entryOf(layer: TileLayer): LayerEntry {
    const { viewer } = this.deps
    const placement = viewer.placement(layer.rasterId)
    const note = placement?.note ? `${placement.warning ? '⚠ ' : ''}${placement.note}` : null
    const info = layer.info.georeference ? { ...layer.info, georeference: viewer.georeferenceOf(layer.rasterId) } : layer.info
    return { rasterId: layer.rasterId, info, stretch: layer.display, hiddenClasses: layer.hiddenClasses, placement: note, displayName: this.records.get(layer.rasterId)?.displayName ?? undefined }
  }

  /**
   * Gives a layer the CRS a person set (Set CRS…): it is placed again at once, its row says so, and
   * the choice is remembered for its file.
   */
  setLayerCrs(rasterId: string, crs: CrsInfo): void {
    const { viewer } = this.deps
    const layer = viewer.layer(rasterId)
    if (!layer?.info.georeference) return
    viewer.setLayerCrs(rasterId, crs)
    this.deps.crsMemory.remember(layer.info, crs)
    this.rows.upsert(this.entryOf(layer))
    this.refreshPlacements()
    this.layersChanged()
  }

  /** Names, title, browse position and navigator after any change of the layers or of which are shown. */
  layersChanged(): void {
    const { viewer } = this.deps
    const layers = viewer.layers
    const names = uniqueNames(layers.map((l) => l.info.name))
    layers.forEach((layer, i) => {
      const record = this.records.ensure(layer.rasterId, layer.info.name)
      if (record.displayName === names[i]) return
      record.displayName = names[i]!
      this.rows.upsert(this.entryOf(layer))
    })
    this.shownListeners.emit(shownState(names, this.showing.mode, this.showing.activeIndex()))
    viewer.requestFrame()
  }

  /** Notes that the camera is where an automatic fit put it (a fit the person asked for counts too). */
  markFitted(): void {
    this.fittedView = { ...this.deps.viewer.view }
  }

  /** True when the camera has not moved since the last automatic fit. */
  get stillFitted(): boolean {
    return this.fittedView !== null && sameView(this.deps.viewer.view, this.fittedView)
  }

  dispose(): void {
    for (const off of this.subscriptions.splice(0)) off()
    this.orientations.dispose()
  }

  // ---- the session's own steps ----

  /** The batch a host-given place belongs to (begun on its first mention), or null when it has none. */
  hostBatch(slot: OpenBatchSlot | undefined): OpenBatch | null {
    return slot ? this.order.hostBatch(slot.batch, slot.size, slot.index) : null
  }

  /** A layer drew its first pixels: it is open. */
  firstPixels(rasterId: string): void {
    const record = this.records.get(rasterId)
    if (!record?.waitingForPixels) return
    record.waitingForPixels = false
    this.deps.mark('first tile', record.name)
    this.rows.setLoading(rasterId, false)
    this.showOpening()
  }

  /** Says which files are opening (uploading, or open and waiting for their first pixels). */
  showOpening(): void {
    this.openingListeners.emit([...this.files.uploadingNames(), ...this.urls.openingNames(), ...this.records.waitingNames()])
  }

  /** Keeps each layer's row's placement note true (the view's CRS changes with the layers). */
  private refreshPlacements(): void {
    const { viewer } = this.deps
    for (const layer of viewer.layers) {
      const note = viewer.placement(layer.rasterId)?.note ?? null
      const record = this.records.ensure(layer.rasterId, layer.info.name)
      if (record.placementNote === note) continue
      record.placementNote = note
      this.rows.upsert(this.entryOf(layer))
    }
  }

  /**
   * Files given together on an empty view, without georeferencing (a folder of photos, scans), are
   * shown one at a time, as an image browser does: stacked at the origin they overlap as a collage.
   * Said once, with the key that stacks them. Decided by the first of them to open.
   */
  private browseBatch(batch: OpenBatch): void {
    this.browsedBatch = batch
    this.showing.startBrowsing()
    this.deps.ui.toast(`${batch.size} pictures given together: shown one at a time (← / → browse, b stacks them)`)
  }

  /** A georeferenced file among them after all: they are layers of one place, stacked and fitted together. */
  private stackBatch(): void {
    this.browsedBatch = null
    if (this.showing.mode === 'browse') this.showing.toggle()
    this.deps.fitShown()
    this.markFitted()
  }

}

/** Key of a layer's read errors: one message per layer, whatever tiles failed. */
export function readErrorKey(rasterId: string): string {
  return `read:${rasterId}`
}

/** True when two camera states are the same (to within rounding): the user has not moved since. */
export function sameView(a: View, b: View): boolean {
  const close = (x: number, y: number): boolean => Math.abs(x - y) <= 1e-6 * Math.max(1, Math.abs(x), Math.abs(y))
  return close(a.centerX, b.centerX) && close(a.centerY, b.centerY) && close(a.zoom, b.zoom)
}

