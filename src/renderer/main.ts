/**
 * Bootstrap of the renderer: connects to the service through the bridge, builds the viewer and
 * the interface, and wires events between them. Nothing here draws or schedules by itself.
 */
import 'pixi.js/unsafe-eval' // the CSP forbids eval; this swaps Pixi's generated code for static code
import { createBridge } from './bridge'
import type { TesseraBridge } from './bridge/types'
import type { OpenBatchSlot, OpenedRaster } from '../shared/protocol'
import { DropZone } from './ui/DropZone'
import { ErrorList } from './ui/ErrorList'
import { LayersPanel, type LayerEntry } from './ui/LayersPanel'
import { arrangeLayerList } from './ui/layerListOrder'
import { StatusBar, type Readout } from './ui/StatusBar'
import { worldToMap } from '../shared/geo/affine'
import { isKnownCrs, metresPerUnit } from './view/map/crs'
import { scaleBar, type ScaleBar } from './view/map/scaleBar'
import { diagnosticsRequested, installDiagnostics } from './ui/diagnostics'
import { LayerOrder, type OpenBatch } from './view/LayerOrder'
import { DEFAULT_TEXTURE_BUDGET } from './view/TextureCache'
import { Viewer } from './view/Viewer'
import type { TileLayer, TileTransport } from './view/TileLayer'

async function main(): Promise<void> {
  const stage = required('stage')
  const errors = new ErrorList(required('errors'))
  let bridge: TesseraBridge
  try {
    bridge = createBridge()
  } catch (error) {
    errors.show('Cannot reach the Tessera service', messageOf(error))
    return
  }
  const fifo = schedulingFromUrl() === 'fifo'
  if (fifo) {
    try {
      await bridge.configure('fifo')
    } catch (error) {
      errors.show('Could not switch the service to FIFO scheduling', messageOf(error))
    }
  }
  // In 'fifo' mode (the benchmark baseline) the renderer withdraws nothing either, and sends every
  // request at once (no flow control: nothing held back to withdraw for free).
  const transport: TileTransport = fifo ? { requestTiles: (id, tiles) => bridge.requestTiles(id, tiles), cancelObsolete: () => undefined } : bridge
  const viewer = await Viewer.create(stage, { transport, budgetBytes: budgetFromUrl(), maxInFlight: fifo ? Infinity : undefined })
  const status = new StatusBar(required('statusbar'))
  let serviceActive = 0
  const failedLayers = new Set<string>()
  /** Layers opened from a dropped or picked file, by raster id: re-opened from the same File after a reconnection. */
  const layerFiles = new Map<string, File>()

  /** The placement note each layer's panel entry shows (the view's CRS changes with the layers). */
  const placementNotes = new Map<string, string | null>()
  const refreshPlacements = (): void => {
    for (const layer of viewer.layers) {
      const note = viewer.placement(layer.rasterId)?.note ?? null
      if (placementNotes.get(layer.rasterId) === note) continue
      placementNotes.set(layer.rasterId, note)
      panel.upsert(entryOf(layer, viewer))
    }
  }
  viewer.onPlacementsChanged(refreshPlacements) // a CRS found in the definitions list: reprojected now
  /** Where layers go: files given together stack in the order given, whatever order they open in. */
  const order = new LayerOrder()
  /** The camera as the last automatic fit left it: the first view refits as its files come, until the user moves. */
  let fittedView: { centerX: number; centerY: number; zoom: number } | null = null
  /**
   * Puts an opened raster in its slot (`index` of `batch`; on top when it came alone), lists it
   * where it went, and fits the first view to all of its files opened so far.
   */
  const addLayer = (opened: OpenedRaster, batch: OpenBatch | null = null, index = 0): void => {
    const placement = order.place(batch ?? order.begin(1), batch ? index : 0, opened.rasterId)
    const layer = placement.isNew ? viewer.addLayer(opened, { below: placement.below, fit: false }) : viewer.addLayer(opened)
    panel.upsert(entryOf(layer, viewer))
    refreshPlacements()
    arrangeLayerList(panel.root, viewer.layers.map((l) => l.rasterId))
    dropZone.setEmpty(false)
    if (placement.fit && (placement.fit.length === 1 || (fittedView !== null && sameView(viewer.view, fittedView)))) {
      viewer.fitLayers(placement.fit)
      fittedView = { ...viewer.view }
    }
    if (opened.info.strategy === 'pyramid' && !opened.info.pyramidReady) {
      status.setProgress(opened.rasterId, `Building pyramid of ${opened.info.name}`, 0)
    }
  }
  /** The batch a host-given place belongs to (begun on its first mention), or null when it has none. */
  const hostBatch = (slot: OpenBatchSlot | undefined): OpenBatch | null => (slot ? order.hostBatch(slot.batch, slot.size, slot.index) : null)
  /** Takes a layer off the screen and the panel (not off the service). */
  const forgetLayer = (rasterId: string): void => {
    order.remove(rasterId)
    viewer.removeLayer(rasterId)
    panel.remove(rasterId)
    placementNotes.delete(rasterId)
    refreshPlacements()
    status.setProgress(rasterId, '', 1)
    layerFiles.delete(rasterId)
    dropZone.setEmpty(viewer.layers.length === 0)
  }
  const removeLayer = (rasterId: string): void => {
    forgetLayer(rasterId)
    bridge.close(rasterId).catch((error: unknown) => errors.show('Could not close a layer', messageOf(error)))
  }
  /**
   * Opens files a few at a time (a dropped folder must not start hundreds of uploads at once: the
   * service bounds them), each layer added as soon as it opens, in its place in the order the
   * files were given (last on top; see LayerOrder).
   */
  const openFiles = async (files: File[]): Promise<void> => {
    const batch = order.begin(files.length)
    const open = limitConcurrency(OPENS_AT_ONCE, async ({ file, index }: { file: File; index: number }) => {
      const uploadId = `upload:${file.name}:${file.size}:${Math.random()}`
      let opened: OpenedRaster
      try {
        opened = await bridge.openFile(file, (p) =>
          status.setProgress(uploadId, `Reading ${p.name}`, p.totalBytes > 0 ? Math.min(0.999, p.sentBytes / p.totalBytes) : 0)
        )
      } catch (error) {
        order.fail(batch, index)
        errors.show(`Could not open ${file.name}`, messageOf(error))
        return
      } finally {
        status.setProgress(uploadId, '', 1)
      }
      addLayer(opened, batch, index)
      layerFiles.set(opened.rasterId, file)
    })
    await Promise.all(files.map((file, index) => open({ file, index })))
  }
  const panel = new LayersPanel(required('sidebar'), {
    setVisible: (id, visible) => viewer.setLayerVisible(id, visible),
    setOpacity: (id, opacity) => viewer.setLayerOpacity(id, opacity),
    remove: removeLayer,
    zoomTo: (id) => viewer.fitLayers([id]),
    setStretch: (id, settings) => {
      viewer.layer(id)?.setStretch(settings)
      viewer.requestFrame()
    }
  })
  const dropZone = new DropZone({
    target: stage,
    onFiles: (files) => void openFiles(files),
    onOpenDialog: bridge.showOpenDialog
      ? () => {
          // What it opens is announced by the host (raster-opened, with each file's place).
          bridge.showOpenDialog!()
            .then(() => undefined)
            .catch((error: unknown) => errors.show('Could not open the file', messageOf(error)))
        }
      : undefined
  })
  dropZone.setEmpty(true)

  bridge.onTile((tile) => viewer.receiveTile(tile))
  bridge.onRasterOpened((opened, slot) => addLayer(opened, hostBatch(slot), slot?.index ?? 0))
  bridge.onOpenFailed((slot) => {
    const batch = hostBatch(slot)
    if (batch) order.fail(batch, slot.index)
  })
  bridge.onProgress((rasterId, progress) => {
    const layer = viewer.layer(rasterId)
    status.setProgress(rasterId, `Building pyramid of ${layer?.info.name ?? 'image'}`, progress)
  })
  bridge.onRasterUpdated((rasterId, info) => {
    viewer.updateInfo(rasterId, info)
    const layer = viewer.layer(rasterId)
    if (layer) panel.upsert(entryOf(layer, viewer))
    if (info.pyramidReady) status.setProgress(rasterId, '', 1)
  })
  bridge.onTileFailed((rasterId, key, error) => {
    if (error.code === 'overloaded') {
      // Dropped by the service's cap, not failed: no longer in flight, asked for again while the
      // view needs it. The service's one 'overloaded' error per batch already says so.
      viewer.layer(rasterId)?.tileFailed(key, error.code)
      viewer.requestFrame({ render: false })
      return
    }
    viewer.tileFailed(rasterId, key)
    if (failedLayers.has(rasterId)) return // one message per layer is enough
    failedLayers.add(rasterId)
    errors.show(`Could not read ${viewer.layer(rasterId)?.info.name ?? 'a tile'}`, `${error.message} (tile ${key})`)
  })
  bridge.onError((error) => errors.show('Tessera service', error.message))
  let connectionLost = false
  bridge.onConnectionChange((state) => {
    if (state === 'closed') {
      if (!connectionLost) viewer.connectionLost()
      connectionLost = true
      order.abandonNamed() // the host names its files again on the new connection
      errors.show('Connection to the Tessera service lost', 'reconnecting…')
      return
    }
    if (!connectionLost) return
    connectionLost = false
    // Rasters belong to a connection. The host opens its command-line files again (same ids, same
    // layers, served again when announced); files the user dropped are unknown to the new
    // connection and their ids may be given to other rasters: take those layers down and open the
    // same files again.
    const files = viewer.layers.filter((l) => layerFiles.has(l.rasterId)).map((l) => [l.rasterId, layerFiles.get(l.rasterId)!] as const)
    for (const [rasterId] of files) forgetLayer(rasterId)
    void openFiles(files.map(([, file]) => file))
  })

  // Status: zoom and activity after each frame, readout on pointer moves and after frames.
  let pointer: { x: number; y: number } | null = null
  const updateReadout = (): void => {
    if (!pointer || viewer.layers.length === 0) return status.setReadout(null)
    status.setReadout(readoutAt(viewer, pointer.x, pointer.y))
  }
  stage.addEventListener('pointermove', (e) => {
    pointer = { x: e.offsetX, y: e.offsetY }
    updateReadout()
  })
  stage.addEventListener('pointerleave', () => {
    pointer = null
    updateReadout()
  })
  viewer.onFrame(() => {
    status.setZoom(viewer.layers.length > 0 ? viewer.pixelZoom : null)
    status.setScale(viewer.layers.length > 0 ? viewScaleBar(viewer) : null)
    status.setActivity(viewer.stats().pending, serviceActive)
    updateReadout()
  })
  setInterval(() => {
    const pending = viewer.stats().pending
    if (pending === 0 && serviceActive === 0) return status.setActivity(0, 0)
    bridge
      .stats()
      .then((s) => {
        serviceActive = s.active
        status.setActivity(viewer.stats().pending, serviceActive)
      })
      .catch(() => undefined)
  }, 500)

  if (diagnosticsRequested()) installDiagnostics(viewer, () => serviceActive, () => bridge.stats())
  document.body.dataset.ready = 'true'
}

/** What the status bar shows for a screen point: the top layer's pixel and values, the map point, each layer's values. */
function readoutAt(viewer: Viewer, x: number, y: number): Readout {
  const probe = viewer.probe(x, y)
  const top = probe.layers.find((l) => l.inside)
  const crs = viewer.viewCrs
  return {
    ...(top ? { x: top.pixel.x, y: top.pixel.y, layer: top.layer.info.name, values: top.value?.values, level: top.value?.level, georeference: top.layer.info.georeference } : {}),
    map: crs.georeferenced ? { ...worldToMap(probe.world), epsg: crs.epsg } : undefined,
    layers: probe.layers.map((l) => ({ name: l.layer.info.name, values: l.inside ? l.value?.values : null }))
  }
}

/** The scale bar of the view: ground metres when the view's CRS is known, map units when it is not; none without georeferencing. */
function viewScaleBar(viewer: Viewer): ScaleBar | null {
  const crs = viewer.viewCrs
  if (!crs.georeferenced) return null
  const view = viewer.view
  const unitsPerScreenPixel = 1 / view.zoom
  if (!isKnownCrs(crs.epsg)) return scaleBar(unitsPerScreenPixel, 120, false)
  const centre = worldToMap({ x: view.centerX, y: view.centerY })
  const metres = metresPerUnit(crs.epsg, centre.x, centre.y, unitsPerScreenPixel * 100)
  return metres ? scaleBar(unitsPerScreenPixel * metres) : scaleBar(unitsPerScreenPixel, 120, false)
}

function entryOf(layer: TileLayer, viewer: Viewer): LayerEntry {
  const placement = viewer.placement(layer.rasterId)
  const note = placement?.note ? `${placement.warning ? '⚠ ' : ''}${placement.note}` : null
  return { rasterId: layer.rasterId, info: layer.info, stretch: layer.display, placement: note }
}

/** True when two camera states are the same (to within rounding): the user has not moved since. */
function sameView(a: { centerX: number; centerY: number; zoom: number }, b: { centerX: number; centerY: number; zoom: number }): boolean {
  const close = (x: number, y: number): boolean => Math.abs(x - y) <= 1e-6 * Math.max(1, Math.abs(x), Math.abs(y))
  return close(a.centerX, b.centerX) && close(a.centerY, b.centerY) && close(a.zoom, b.zoom)
}

/** Files opened (uploaded) at the same time; the service accepts up to MAX_OPEN_UPLOADS (64) per connection. */
const OPENS_AT_ONCE = 4

/** Wraps `run` so that at most `limit` calls are in progress; the others wait their turn, in call order. */
function limitConcurrency<A, R>(limit: number, run: (arg: A) => Promise<R>): (arg: A) => Promise<R> {
  let running = 0
  const waiting: Array<() => void> = []
  return async (arg) => {
    if (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve))
    running++
    try {
      return await run(arg)
    } finally {
      running--
      waiting.shift()?.()
    }
  }
}

/**
 * `?scheduling=fifo` switches prioritisation and cancellation off, in the service and in the
 * renderer (the baseline of `bench/view.ts`); anything else keeps the default, 'priority'.
 */
function schedulingFromUrl(): 'priority' | 'fifo' {
  return new URLSearchParams(window.location.search).get('scheduling') === 'fifo' ? 'fifo' : 'priority'
}

/** `?budget=<MB>` overrides the texture cache budget. */
function budgetFromUrl(): number {
  const mb = Number(new URLSearchParams(window.location.search).get('budget'))
  return mb > 0 ? mb * 1024 * 1024 : DEFAULT_TEXTURE_BUDGET
}

function required(id: string): HTMLElement {
  const el = document.getElementById(id)
  if (!el) throw new Error(`Expected an element #${id} in index.html but found none`)
  return el
}

function messageOf(error: unknown): string {
  if (error && typeof error === 'object' && 'message' in error) return String((error as { message: unknown }).message)
  return String(error)
}

main().catch((error: unknown) => {
  const box = document.getElementById('errors')
  if (box) new ErrorList(box).show('Tessera could not start', messageOf(error))
  console.error(error)
})
