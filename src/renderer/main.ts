/**
 * Bootstrap of the renderer: connects to the service through the bridge, builds the viewer and
 * the interface, and wires events between them. Nothing here draws or schedules by itself.
 */
import 'pixi.js/unsafe-eval' // the CSP forbids eval; this swaps Pixi's generated code for static code
import { WebSocketBridge, createBridge } from './bridge'
import type { TesseraBridge } from './bridge/types'
import type { OpenBatchSlot, OpenedRaster } from '../shared/protocol'
import { DropZone } from './ui/DropZone'
import { ErrorList } from './ui/ErrorList'
import { LayersPanel, type LayerEntry } from './ui/LayersPanel'
import { arrangeLayerList } from './ui/layerListOrder'
import { StatusBar, type Readout } from './ui/StatusBar'
import { Toolbar } from './ui/Toolbar'
import { Navigator } from './ui/Navigator'
import { HelpOverlay } from './ui/HelpOverlay'
import { installKeyboard } from './ui/Keyboard'
import { ViewOrientation } from './ui/ViewOrientation'
import { Toast } from './ui/Toast'
import { installSidebarResizer } from './ui/SidebarResizer'
import { browsePosition, uniqueNames, windowTitle } from './ui/browsing'
import { LayerShowing } from './ui/LayerShowing'
import { copyText, downloadPng, orientedCopy, readoutText } from './ui/exportView'
import { element } from './ui/format'
import { ContentBounds } from './view/ContentBounds'
import { stageToCanvas } from './view/screenOrientation'
import { layersExtent } from './view/map/extent'
import { worldToMap } from '../shared/geo/affine'
import { isKnownCrs, metresPerUnit } from './view/map/crs'
import { scaleBar, type ScaleBar } from './view/map/scaleBar'
import { diagnosticsRequested, installDiagnostics } from './ui/diagnostics'
import { LayerOrder, type OpenBatch } from './view/LayerOrder'
import { DEFAULT_TEXTURE_BUDGET } from './view/TextureCache'
import { Viewer } from './view/Viewer'
import type { TileLayer } from './view/TileLayer'
import type { TileTransport } from './view/TileRequester'
import { browserDecodes, decodePreview, decodeThumbnail, readFileHead, type Picture } from './dropPreview'

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
  // The connection as it is now, watched from the start (its first 'open' may come before the viewer is ready).
  let connection: 'connecting' | 'open' | 'closed' = bridge.kind === 'electron' ? 'open' : 'connecting'
  let everConnected = connection === 'open'
  /** When the connection first opened (Date.now(): the clock tests compare with). */
  let connectedAt: number | null = everConnected ? Date.now() : null
  bridge.onConnectionChange((state) => {
    connection = state
    if (state === 'open') {
      everConnected = true
      connectedAt ??= Date.now()
      errors.dismiss(CONNECTION_ERROR)
    } else if (!everConnected) {
      errors.show('Could not connect to the Tessera host', NEVER_CONNECTED, { key: CONNECTION_ERROR })
    }
  })
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
  const orientation = new ViewOrientation(stage)
  const viewer = await Viewer.create(orientation.canvasHost, { transport, budgetBytes: budgetFromUrl(), maxInFlight: fifo ? Infinity : undefined })
  orientation.attach(viewer.app)
  // The view's size, said to the service on connecting and whenever it changes: a photo opened then
  // decodes first the overview its fit view shows (a 1024² level in a laptop's window, not 2048²).
  let saidViewSize = ''
  const sayViewSize = (): void => {
    if (connection !== 'open') return
    const size = { width: Math.round(viewer.view.width), height: Math.round(viewer.view.height) }
    const key = `${size.width}×${size.height}`
    if (key === saidViewSize) return
    saidViewSize = key
    bridge.calls['view-size'](size).catch(() => undefined) // a host without it opens at its default overview
  }
  bridge.onConnectionChange((state) => {
    saidViewSize = ''
    if (state === 'open') sayViewSize()
  })
  viewer.onFrame(sayViewSize)
  sayViewSize()
  /** What must stay in view and what the navigator shows: the visible layers (all of them when none is visible). */
  // Asked for on every tick (ContentBounds): computed again when the layers shown change, and at most once a second otherwise (a reprojected border is sampled).
  let extentCache: { key: string; at: number; extent: ReturnType<typeof layersExtent> } | null = null
  const shownExtent = (): ReturnType<typeof layersExtent> => {
    const visible = viewer.layers.filter((l) => l.visible)
    const shown = visible.length > 0 ? visible : viewer.layers
    const t = (l: TileLayer): string => Object.values(l.transform).join(',')
    const key = `${viewer.viewCrs.epsg} ${shown.map((l) => `${l.rasterId}:${l.info.width}x${l.info.height}:${t(l)}:${viewer.placement(l.rasterId)?.note ?? ''}`).join(' ')}`
    const now = performance.now()
    if (extentCache && extentCache.key === key && now - extentCache.at < 1000) return extentCache.extent
    extentCache = { key, at: now, extent: layersExtent(shown) }
    return extentCache.extent
  }
  ContentBounds.install(viewer.camera.viewport, { content: shownExtent })
  const status = new StatusBar(required('statusbar'))
  status.setGraphics(viewer.graphics)
  const fileLabel = element('span', 'status-file', '', { 'data-testid': 'status-file' })
  status.root.prepend(fileLabel)
  const toast = new Toast(required('app'))
  const help = new HelpOverlay(required('app'))
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
  status.onCrsChange((epsg) => viewer.setViewCrs(epsg))
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
    if (placement.isNew) {
      waitingForPixels.set(opened.rasterId, opened.info.name)
      showing.added(opened.rasterId)
    }
    panel.upsert(entryOf(layer, viewer))
    panel.setLoading(opened.rasterId, waitingForPixels.has(opened.rasterId))
    panel.setVisible(opened.rasterId, layer.visible)
    refreshPlacements()
    arrangeLayerList(panel.root, viewer.layers.map((l) => l.rasterId))
    dropZone.setEmpty(false)
    layersChanged()
    if (placement.fit && (placement.fit.length === 1 || (fittedView !== null && sameView(viewer.view, fittedView)))) {
      viewer.fitLayers(placement.fit)
      fittedView = { ...viewer.view }
    } else if (placement.isNew && layer.visible && fittedView !== null && sameView(viewer.view, fittedView)) {
      // The user has not moved since the last fit: a layer added later is fitted with the others shown.
      fit()
      fittedView = { ...viewer.view }
    }
    if (opened.info.strategy === 'pyramid' && !opened.info.pyramidReady) {
      status.setProgress(opened.rasterId, `Building the overviews of ${opened.info.name}`, 0)
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
    waitingForPixels.delete(rasterId)
    failedLayers.delete(rasterId)
    errors.dismiss(readErrorKey(rasterId))
    dropZone.setEmpty(viewer.layers.length === 0)
    showing.removed(rasterId)
    layersChanged()
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
    if (connection === 'closed') {
      // Refused where it is seen: a drop the service cannot receive now is not silently lost.
      const what = files.length === 1 ? files[0]!.name : `${files.length} files`
      const why = everConnected ? 'the connection to the Tessera host is lost; drop them again once it is back' : 'Tessera is not connected to its host (see the message above)'
      errors.show(`Could not open ${what}`, why, { key: REFUSED_DROP })
      return
    }
    const batch = order.begin(files.length)
    for (const file of files) mark('dropped', file.name)
    const uploads = files.map((file) => `upload:${file.name}:${file.size}:${Math.random()}`)
    files.forEach((file, i) => uploading.set(uploads[i]!, file.name))
    showOpening()
    // A first picture from the file itself, decoded by the browser while the host opens it: one
    // at a time, the top one (the last given) first, as it is the one seen. Decoded side by side on
    // two cores, the first picture came only when all of them had.
    const opening = new Set(uploads)
    /** The layer each file opened as (its preview stands for it until it draws tiles). */
    const openedAs = new Map<string, string>()
    /** A preview is still worth showing while its file opens, and once open until its layer draws its first tiles. */
    const previewWanted = (uploadId: string): boolean => {
      const rasterId = openedAs.get(uploadId)
      return opening.has(uploadId) || (rasterId !== undefined && waitingForPixels.has(rasterId))
    }
    let previews = Promise.resolve()
    for (let i = files.length - 1; i >= 0; i--) {
      const file = files[i]!
      const uploadId = uploads[i]!
      if (!browserDecodes(file)) continue
      /** Shows a picture of the file unless its layer drew tiles (or its file failed) meanwhile. */
      const show = (picture: Picture, step: string): void => {
        if (!previewWanted(uploadId)) {
          picture.bitmap.close()
          return mark('preview late', file.name)
        }
        viewer.showPreview(uploadId, picture.bitmap, picture.width, picture.height)
        const rasterId = openedAs.get(uploadId)
        if (rasterId) viewer.attachPreview(uploadId, rasterId) // opened while it decoded: placed over its layer
        mark(step, file.name)
      }
      previews = previews.then(async () => {
        // Too late once its layer drew tiles (or its file failed): no picture then.
        if (!previewWanted(uploadId)) return mark('preview late', file.name)
        // No picture (unreadable, undecodable): the layer comes as always.
        const head = await readFileHead(file)
        // A camera photo's EXIF thumbnail first: a few ms to decode, where the photo takes hundreds.
        const thumbnail = await decodeThumbnail(head).catch(() => null)
        if (thumbnail) show(thumbnail, 'thumbnail')
        if (!previewWanted(uploadId)) return
        const preview = await decodePreview(file, head).catch(() => null)
        if (preview) show(preview, 'preview')
      })
    }
    const open = limitConcurrency(OPENS_AT_ONCE, async ({ file, index }: { file: File; index: number }) => {
      const uploadId = uploads[index]!
      let opened: OpenedRaster
      try {
        opened = await bridge.openFile(file, (p) => {
          status.setProgress(uploadId, `Reading ${p.name}`, p.totalBytes > 0 ? Math.min(0.999, p.sentBytes / p.totalBytes) : 0)
          if (p.sentBytes >= p.totalBytes) mark('sent', file.name)
        })
        mark('opened', file.name)
      } catch (error) {
        order.fail(batch, index)
        errors.show(`Could not open ${file.name}`, messageOf(error))
        viewer.removePreview(uploadId)
        return
      } finally {
        opening.delete(uploadId)
        status.setProgress(uploadId, '', 1)
        uploading.delete(uploadId)
        showOpening()
      }
      addLayer(opened, batch, index)
      openedAs.set(uploadId, opened.rasterId)
      viewer.attachPreview(uploadId, opened.rasterId)
      layerFiles.set(opened.rasterId, file)
    })
    // Uploaded and opened top first (the last given), as the previews: the top layer is the one
    // seen (the host serves its tiles before the overviews of the files under it), and the layers
    // under an opaque one ask for nothing. Stacked by their place all the same.
    await Promise.all(files.map((file, index) => ({ file, index })).reverse().map(open))
  }
  /** When each dropped file reached each step of its opening (diagnostics: where a drop's time goes). */
  const timeline: Array<{ t: number; step: string; name: string }> = []
  const mark = (step: string, name: string): void => {
    if (timeline.length < 1000) timeline.push({ t: performance.now(), step, name })
  }
  /** Files on their way: uploading or opening (by upload id), then opened and waiting for their first pixels (by raster id). */
  const uploading = new Map<string, string>()
  const waitingForPixels = new Map<string, string>()
  const showOpening = (): void => {
    const names = [...uploading.values(), ...waitingForPixels.values()]
    toolbar.setOpening(names)
    dropZone.setOpening(names)
  }
  /** A layer drew its first pixels: it is open. */
  const firstPixels = (rasterId: string): void => {
    const name = waitingForPixels.get(rasterId)
    if (!waitingForPixels.delete(rasterId)) return
    mark('first tile', name ?? rasterId)
    panel.setLoading(rasterId, false)
    showOpening()
  }

  // How several layers are shown: stacked (each its own eye), or one at a time (browsing).
  const showing = new LayerShowing({
    layers: () => viewer.layers,
    setVisible: (id, visible) => {
      viewer.setLayerVisible(id, visible)
      panel.setVisible(id, visible)
    },
    fitTo: (id) => viewer.fitLayers([id]),
    select: (id) => panel.setSelected(id),
    moveTo: (id, index) => {
      viewer.moveLayer(id, index)
      arrangeLayerList(panel.root, viewer.layers.map((l) => l.rasterId))
    },
    changed: () => layersChanged()
  })
  /** Names, title, browse position and navigator after any change of the layers or of which are shown. */
  const layersChanged = (): void => {
    const layers = viewer.layers
    const names = uniqueNames(layers.map((l) => l.info.name))
    layers.forEach((layer, i) => {
      if (displayNames.get(layer.rasterId) === names[i]) return
      displayNames.set(layer.rasterId, names[i]!)
      panel.upsert(entryOf(layer, viewer))
    })
    const mode = showing.mode
    const activeIndex = showing.activeIndex()
    const active = activeIndex >= 0 ? { name: names[activeIndex]!, index: activeIndex, count: layers.length } : null
    document.title = windowTitle(active, mode)
    const position = active && mode === 'browse' ? browsePosition(active.index, active.count, active.name) : ''
    toolbar.setMode(mode, layers.length > 1, position)
    fileLabel.textContent = active ? (mode === 'browse' ? position : active.name) : ''
    navigator.invalidate()
    viewer.requestFrame()
  }
  const displayNames = new Map<string, string>()
  const entryOf = (layer: TileLayer, v: Viewer): LayerEntry => ({ ...layerEntry(layer, v), displayName: displayNames.get(layer.rasterId) })
  const sidebar = required('sidebar')
  const fit = (): void => {
    const visible = viewer.layers.filter((l) => l.visible).map((l) => l.rasterId)
    viewer.fitLayers(visible.length > 0 ? visible : undefined)
  }
  const zoomBy = (factor: number): void => {
    const { width, height } = viewer.view
    viewer.camera.zoomAtScreen(factor, width / 2, height / 2, true)
  }
  /** Pans by a step of the window in a direction of the screen (as seen, through any turn or mirror of the view). */
  const pan = (dx: number, dy: number): void => {
    const view = viewer.view
    const stageBox = { width: stage.clientWidth, height: stage.clientHeight }
    const o = orientation.current
    const from = stageToCanvas(o, stageBox, { x: 0, y: 0 })
    const to = stageToCanvas(o, stageBox, { x: dx, y: dy })
    const step = (Math.min(view.width, view.height) * PAN_STEP) / view.zoom
    viewer.camera.setView({ centerX: view.centerX + (to.x - from.x) * step, centerY: view.centerY + (to.y - from.y) * step, zoom: view.zoom })
  }
  const actualPixels = (): void => {
    const { centerX, centerY } = viewer.view
    viewer.camera.setView({ centerX, centerY, zoom: 1 / viewer.camera.unitsPerPixel })
  }
  const toggleFullscreen = (): void => {
    const done = document.fullscreenElement ? document.exitFullscreen() : document.documentElement.requestFullscreen()
    done.catch((error: unknown) => errors.show('Could not switch to full screen', messageOf(error)))
  }
  const navigator = new Navigator(sidebar, {
    content: shownExtent,
    outlines: () => viewer.layers.filter((l) => l.visible).map((l) => layersExtent([l])!),
    view: () => viewer.view,
    sharp: () => viewer.stats().sharp,
    renderedCanvas: () => {
      viewer.app.render()
      return viewer.app.canvas
    },
    centerOn: (x, y) => viewer.camera.setView({ centerX: x, centerY: y, zoom: viewer.view.zoom }),
    fit,
    actualPixels,
    zoomBy,
    rotate: (turns) => orientation.rotate(turns),
    flip: () => orientation.flip(),
    fullscreen: toggleFullscreen
  })
  orientation.onChange((o) => {
    navigator.setOrientation(o)
    // A view still as fitted is fitted again once the camera has its turned screen.
    if (fittedView !== null && sameView(viewer.view, fittedView)) {
      const width = orientation.canvasHost.clientWidth
      void until(() => Math.abs(viewer.view.width - width) <= 1, 1000).then(() => {
        fit()
        fittedView = { ...viewer.view }
      })
    }
    viewer.requestFrame()
  })
  const panel = new LayersPanel(sidebar, {
    setVisible: (id, visible) => {
      viewer.setLayerVisible(id, visible)
      layersChanged()
    },
    setOpacity: (id, opacity) => {
      viewer.setLayerOpacity(id, opacity)
      navigator.invalidate()
    },
    remove: removeLayer,
    zoomTo: (id) => viewer.fitLayers([id]),
    setStretch: (id, settings) => {
      viewer.layer(id)?.setStretch(settings)
      navigator.invalidate()
      viewer.requestFrame()
    },
    solo: (id) => showing.solo(id),
    moveOnto: (id, targetId) => showing.moveOnto(id, targetId)
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

  const app = required('app')
  installSidebarResizer(app, sidebar)
  const toggleSidebar = (): void => {
    app.classList.toggle('sidebar-collapsed')
    document.getElementById('sidebar')?.toggleAttribute('hidden', app.classList.contains('sidebar-collapsed'))
  }
  let exporting = false
  const exportPng = async (): Promise<void> => {
    if (viewer.layers.length === 0 || exporting) return
    exporting = true
    const scale = toolbar.exportScale
    const before = viewer.view
    let picture: HTMLCanvasElement
    try {
      if (scale !== 1) {
        // Drawn `scale` times larger (finer tiles where the file has them), shown shrunk meanwhile.
        toast.show(`Rendering the view at ${scale}×…`)
        orientation.setRenderScale(scale)
        await until(() => Math.abs(viewer.view.width - before.width * scale) <= 1, 3000)
        viewer.camera.setView({ centerX: before.centerX, centerY: before.centerY, zoom: before.zoom * scale })
        await until(() => viewer.stats().sharp, 120_000)
      }
      viewer.frameNow() // renders now: the canvas is read in this same task
      picture = orientedCopy(viewer.app.canvas, orientation.current)
    } finally {
      if (scale !== 1) {
        orientation.setRenderScale(1)
        await until(() => Math.abs(viewer.view.width - before.width) <= 1, 3000)
        viewer.camera.setView(before)
      }
      exporting = false
    }
    const name = `${(document.title.split(' — ')[0] ?? 'view').replace(/\s+\(\d+ of \d+\)$/, '').replace(/\.[^.]+$/, '')}-view${scale === 1 ? '' : `-${scale}x`}.png`
    try {
      await downloadPng(picture, name)
      toast.show(`Saved the view as ${name} (${picture.width} × ${picture.height})`)
    } catch (error) {
      errors.show('Could not save the view', messageOf(error))
    }
  }
  const copyReadout = (): void => {
    if (!pointer || viewer.layers.length === 0) {
      toast.show('Point at the image first: c copies what is under the cursor')
      return
    }
    const text = readoutText(readoutAt(viewer, pointer.x, pointer.y))
    copyText(text)
      .then(() => toast.show(`Copied: ${text}`))
      .catch((error: unknown) => errors.show('Could not copy the readout', messageOf(error)))
  }
  const toolbar = new Toolbar(required('toolbar'), {
    open: () => dropZone.openDialog(),
    toggleBrowse: () => showing.toggle(),
    previous: () => showing.browse(-1),
    next: () => showing.browse(1),
    exportPng: () => void exportPng(),
    toggleSidebar,
    help: () => help.toggle()
  })
  installKeyboard(
    {
      open: () => dropZone.openDialog(),
      previous: () => showing.browse(-1),
      next: () => showing.browse(1),
      toggleBrowse: () => showing.toggle(),
      rotateClockwise: () => orientation.rotate(1),
      rotateCounterClockwise: () => orientation.rotate(-1),
      flip: () => orientation.flip(),
      fullscreen: toggleFullscreen,
      help: () => help.toggle(),
      escape: () => {
        if (help.open) help.hide()
        else errors.clear()
      },
      exportPng: () => void exportPng(),
      copyReadout,
      toggleSidebar,
      layerUp: () => showing.move(panel.selected ?? showing.browsed, 1),
      layerDown: () => showing.move(panel.selected ?? showing.browsed, -1),
      fit,
      actualPixels,
      zoomIn: () => zoomBy(2),
      zoomOut: () => zoomBy(0.5),
      panLeft: () => pan(-1, 0),
      panRight: () => pan(1, 0),
      panUp: () => pan(0, -1),
      panDown: () => pan(0, 1)
    },
    () => showing.mode === 'browse'
  )
  layersChanged()

  bridge.onTile((tile) => {
    viewer.receiveTile(tile)
    if (waitingForPixels.has(tile.header.rasterId)) firstPixels(tile.header.rasterId)
  })
  bridge.onRasterOpened((opened, slot) => addLayer(opened, hostBatch(slot), slot?.index ?? 0))
  bridge.onOpenFailed((slot) => {
    const batch = hostBatch(slot)
    if (batch) order.fail(batch, slot.index)
  })
  bridge.onProgress((rasterId, progress) => {
    const layer = viewer.layer(rasterId)
    status.setProgress(rasterId, `Building the overviews of ${layer?.info.name ?? 'a file'}`, progress)
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
    const name = displayNames.get(rasterId) ?? viewer.layer(rasterId)?.info.name ?? 'a layer'
    errors.show(`Could not read ${name}`, withoutTileKey(error.message, key), { key: readErrorKey(rasterId) })
  })
  bridge.onError((error, rasterId) => {
    // A message about an open layer's file is that layer's one message (its failed tiles say no more).
    const layer = (rasterId ? viewer.layer(rasterId) : undefined) ?? [...viewer.layers].reverse().find((l) => error.message.includes(l.info.name))
    if (!layer) return void errors.show('Tessera service', error.message)
    failedLayers.add(layer.rasterId)
    const name = displayNames.get(layer.rasterId) ?? layer.info.name
    errors.show(`Could not read ${name}`, error.message, { key: readErrorKey(layer.rasterId) })
  })
  let connectionLost = false
  bridge.onConnectionChange((state) => {
    if (state === 'closed') {
      if (!connectionLost) viewer.connectionLost()
      connectionLost = true
      order.abandonNamed() // the host names its files again on the new connection
      // A page that never connected already says why (NEVER_CONNECTED); one that did is reconnecting.
      if (everConnected) errors.show('Connection to the Tessera service lost', 'reconnecting…', { key: CONNECTION_ERROR })
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
    // Only over the picture (not over the drop zone's button); in the camera's screen, through any turn of the view.
    pointer = e.target instanceof HTMLCanvasElement ? orientation.clientToCanvas(e.clientX, e.clientY) : null
    updateReadout()
  })
  // Shift+double-click zooms out (the camera's double-click zooms in), at the point clicked.
  stage.addEventListener(
    'dblclick',
    (e) => {
      if (!e.shiftKey || !(e.target instanceof HTMLCanvasElement)) return
      e.stopPropagation()
      const at = orientation.clientToCanvas(e.clientX, e.clientY)
      viewer.camera.zoomAtScreen(0.5, at.x, at.y, true)
    },
    { capture: true }
  )
  stage.addEventListener('pointerleave', () => {
    pointer = null
    updateReadout()
  })
  viewer.onFrame(() => {
    navigator.update()
    status.setZoom(viewer.layers.length > 0 ? viewer.pixelZoom : null)
    status.setScale(viewer.layers.length > 0 ? viewScaleBar(viewer) : null)
    status.setCrsChoices(viewer.crsChoices, viewer.viewCrs.epsg)
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

  if (diagnosticsRequested()) installDiagnostics(viewer, () => serviceActive, () => bridge.stats(), () => bridge.wire, () => timeline, {
      connected: () => connection === 'open',
      connectedAt: () => connectedAt,
      drop: () => (bridge instanceof WebSocketBridge ? bridge.dropConnection() : undefined)
    })
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

function layerEntry(layer: TileLayer, viewer: Viewer): LayerEntry {
  const placement = viewer.placement(layer.rasterId)
  const note = placement?.note ? `${placement.warning ? '⚠ ' : ''}${placement.note}` : null
  return { rasterId: layer.rasterId, info: layer.info, stretch: layer.display, placement: note }
}

/** True when two camera states are the same (to within rounding): the user has not moved since. */
function sameView(a: { centerX: number; centerY: number; zoom: number }, b: { centerX: number; centerY: number; zoom: number }): boolean {
  const close = (x: number, y: number): boolean => Math.abs(x - y) <= 1e-6 * Math.max(1, Math.abs(x), Math.abs(y))
  return close(a.centerX, b.centerX) && close(a.centerY, b.centerY) && close(a.zoom, b.zoom)
}

/** Resolves once `done()` is true (checked every animation frame), or after `timeoutMs` whatever it says. */
function until(done: () => boolean, timeoutMs: number): Promise<void> {
  const end = performance.now() + timeoutMs
  return new Promise((resolve) => {
    const check = (): void => {
      if (done() || performance.now() >= end) resolve()
      else requestAnimationFrame(check)
    }
    check()
  })
}

/** Share of the window's smaller side an arrow key pans. */
const PAN_STEP = 0.15

/** Key of the connection's message (one at a time: lost, never opened). */
const CONNECTION_ERROR = 'connection'
/** Key of the message of a drop refused while disconnected. */
const REFUSED_DROP = 'refused-drop'
/** What a page that never reached its host says: most often a URL without its token, or a stale one. */
const NEVER_CONNECTED =
  'The host refused this page or is not running (a missing or old token). Open the URL printed by npm run serve, with its ?token=…, in this browser.'

/** Key of a layer's read errors: one message per layer, whatever tiles failed. */
function readErrorKey(rasterId: string): string {
  return `read:${rasterId}`
}

/** A tile's error as a person reads it: without the internal tile key. */
function withoutTileKey(message: string, key: string): string {
  return message.split(key).join('').replace(/\s*\(tile\s*\)|\s*tile\s*:?\s*(?=[,.;:]|$)/g, '').replace(/\s{2,}/g, ' ').trim()
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
