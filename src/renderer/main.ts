/**
 * Bootstrap of the renderer: connects to the service through the bridge, builds the viewer, the
 * session of layers and the interface, and wires them together. Nothing here draws, schedules,
 * opens or routes by itself: tiles and events go from the bridge to the session (`session/`), the
 * camera commands are `ui/viewCommands.ts`'s.
 */
import 'pixi.js/unsafe-eval' // the CSP forbids eval; this swaps Pixi's generated code for static code
import { WebSocketBridge, createBridge } from './bridge'
import type { TesseraBridge } from './bridge/types'
import { messageOf } from '../shared/errors'
import { DropZone } from './ui/DropZone'
import { ErrorList } from './ui/ErrorList'
import { LayersPanel } from './ui/LayersPanel'
import { StatusBar } from './ui/StatusBar'
import { Toolbar } from './ui/Toolbar'
import { Navigator } from './ui/Navigator'
import { HelpOverlay } from './ui/HelpOverlay'
import { installKeyboard, type ShortcutHandlers } from './ui/Keyboard'
import { ViewOrientation } from './ui/ViewOrientation'
import { Toast } from './ui/Toast'
import { installSidebarResizer } from './ui/SidebarResizer'
import { element } from './ui/format'
import { ServiceActivity } from './ui/serviceActivity'
import { ViewCommands, readoutAt, viewScaleBar } from './ui/viewCommands'
import { diagnosticsRequested, installDiagnostics } from './ui/diagnostics'
import { ContentBounds } from './view/ContentBounds'
import { layersExtent } from './view/map/extent'
import { DEFAULT_TEXTURE_BUDGET } from './view/TextureCache'
import type { TileTransport } from './view/TileRequester'
import { Viewer } from './view/Viewer'
import { Connection } from './session/Connection'
import { Session } from './session/Session'
import { routeBridgeEvents } from './session/routeEvents'
import { OpeningTimeline } from './session/timeline'
import { reportViewSize } from './session/viewSizeReport'
import { CrsMemory } from './session/crsMemory'
import { SetCrsDialog } from './ui/SetCrsDialog'
import { OpenUrlDialog } from './ui/OpenUrlDialog'
import { RecentUrls } from './session/recentUrls'
import { installSwipe } from './ui/SwipeDivider'
import { installStac } from './ui/installStac'
import { WebLayers } from './session/webLayers'
import { AddMapLayerDialog } from './ui/AddMapLayerDialog'
import { Attribution } from './ui/Attribution'

async function main(): Promise<void> {
  const errors = new ErrorList(required('errors'))
  let bridge: TesseraBridge
  try {
    bridge = createBridge()
  } catch (error) {
    errors.show('Cannot reach the Tessera service', messageOf(error))
    return
  }
  const connection = new Connection(bridge, errors)
  const fifo = schedulingFromUrl() === 'fifo' && (await switchToFifo(bridge, errors))
  const stage = required('stage')
  const app = required('app')
  const sidebar = required('sidebar')
  const orientation = new ViewOrientation(stage)
  const viewer = await Viewer.create(orientation.canvasHost, { transport: tileTransport(bridge, fifo), budgetBytes: budgetFromUrl(), maxInFlight: fifo ? Infinity : undefined })
  orientation.attach(viewer.app)
  reportViewSize(bridge, viewer, () => connection.open)
  const shownExtent = shownExtentOf(viewer)
  ContentBounds.install(viewer.camera.viewport, { content: shownExtent })
  const status = new StatusBar(required('statusbar'))
  status.setGraphics(viewer.graphics)
  const fileLabel = element('span', 'status-file', '', { 'data-testid': 'status-file' })
  status.root.prepend(fileLabel)
  const toast = new Toast(app)
  const help = new HelpOverlay(app)
  /** The pointer in the camera's screen while it is over the picture. */
  let pointer: { x: number; y: number } | null = null
  const commands = new ViewCommands({ viewer, orientation, stage, messages: errors, toast: (text) => toast.show(text), exportScale: () => toolbar.exportScale, pointer: () => pointer })
  const navigator = createNavigator(sidebar, viewer, commands, orientation, shownExtent)
  orientation.onChange((o) => navigator.setOrientation(o))
  const timeline = new OpeningTimeline()
  const recentUrls = new RecentUrls(pageStorage())
  const crsDialog = new SetCrsDialog(app, { search: (query) => bridge.calls['search-crs']({ query }), describe: (definition) => bridge.calls['describe-crs']({ definition }) })
  const session = new Session({
    bridge,
    viewer,
    connection,
    messages: errors,
    orientation,
    ui: { pictureChanged: () => navigator.invalidate(), toast: (text) => toast.show(text), progress: (id, label, fraction) => status.setProgress(id, label, fraction) },
    makeRows: (actions) => new LayersPanel(sidebar, actions),
    fitShown: () => commands.fit(),
    orientationSettled: () => commands.orientationSettled(),
    mark: (step, name) => timeline.mark(step, name),
    askCrs: (name, current, done) => crsDialog.show(name, current, done),
    crsMemory: new CrsMemory(pageStorage()),
    urlOpened: (url) => recentUrls.remember(url)
  })
  status.onCrsChange((id) => viewer.setViewCrs(id))
  // The session hears the bridge first: the events the host said before anyone listened (the
  // command line's opens and errors) are kept for the first listener of each, and go to it alone.
  routeBridgeEvents({ bridge, session, viewer, messages: errors, progress: (id, label, fraction) => status.setProgress(id, label, fraction) })
  // STAC (issue 25): a .json URL or dropped file is read as a STAC document, its assets opened from the browser.
  const stac = installStac({ bridge, session, viewer, orientation, stage, messages: errors })
  const urlDialog = new OpenUrlDialog(app, { open: (url) => stac.openUrl(url), recent: () => recentUrls.list() })
  // Electron's File > Open URL… shows the same dialog (the preload forwards the menu's command).
  window.tessera?.onMenuCommand((command) => {
    if (command === 'open-url') urlDialog.show()
  })
  // Web map layers (WMS, WMTS, XYZ): added by the dialog, saved and reopened, their attribution in the view's corner.
  const webLayers = new WebLayers({ bridge, session, viewer, storage: pageStorage(), messages: errors })
  const mapLayerDialog = new AddMapLayerDialog(app, { capabilities: (url) => bridge.calls['web-capabilities']({ url }), add: (params) => webLayers.add(params), viewCrs: () => viewer.viewCrs.id })
  const attribution = new Attribution(stage)
  const dropZone = new DropZone({
    target: stage,
    onFiles: (files) => stac.openFiles(files),
    onOpenDialog: hostOpenDialog(bridge, errors),
    onUrl: (url) => stac.openUrl(url),
    onUrlRefused: (text, reason) => errors.show(`Cannot open ${text}`, reason)
  })
  dropZone.setEmpty(true)
  installSidebarResizer(app, sidebar)
  const toggleSidebar = (): void => {
    app.classList.toggle('sidebar-collapsed')
    sidebar.toggleAttribute('hidden', app.classList.contains('sidebar-collapsed'))
  }
  const { showing } = session
  const toolbar = new Toolbar(required('toolbar'), {
    open: () => dropZone.openDialog(),
    openUrl: () => urlDialog.show(),
    addMapLayer: () => mapLayerDialog.show(),
    toggleBrowse: () => showing.toggle(),
    previous: () => showing.browse(-1),
    next: () => showing.browse(1),
    exportPng: () => void commands.exportPng(),
    toggleSwipe: () => swipe.toggle(),
    toggleSidebar,
    help: () => help.toggle()
  })
  const swipe = installSwipe(viewer, orientation, () => session.rows.selected, (on) => toolbar.setSwipe(on))
  // The profile and measure tools (issue 23): their own folder, loaded beside the rest.
  void import('./ui/tools/installTools')
    .then(({ installTools }) => installTools({ viewer, orientation, stage, toolbar: toolbar.root, calls: bridge.calls, errors, toast: (text) => toast.show(text) }))
    .catch((error: unknown) => errors.show('The profile and measure tools could not start', messageOf(error)))
  installKeyboard({ ...keyActions({ session, commands, orientation, dropZone, help, crsDialog, urlDialog, mapLayerDialog, errors, toggleSidebar }), toggleSwipe: () => swipe.toggle() }, () => session.showing.mode === 'browse')
  session.onShown((shown) => {
    document.title = shown.title
    toolbar.setMode(shown.mode, shown.canBrowse, shown.position)
    fileLabel.textContent = shown.fileLabel
    dropZone.setEmpty(shown.layerCount === 0)
    navigator.invalidate()
    attribution.show(viewer.layers)
    webLayers.update()
  })
  session.onOpening((names) => {
    toolbar.setOpening(names)
    dropZone.setOpening(names)
  })
  session.layersChanged()
  void webLayers.restore()

  // Status: zoom and activity after each frame, readout on pointer moves and after frames.
  const activity = new ServiceActivity({ pending: () => viewer.stats().pending, serviceStats: () => bridge.stats(), show: (pending, active) => status.setActivity(pending, active) })
  const updateReadout = (): void => status.setReadout(pointer && viewer.layers.length > 0 ? readoutAt(viewer, pointer.x, pointer.y) : null)
  trackPointer(stage, orientation, viewer, (at) => {
    pointer = at
    updateReadout()
  })
  viewer.onFrame(() => {
    navigator.update()
    status.setZoom(viewer.layers.length > 0 ? viewer.pixelZoom : null)
    status.setScale(viewer.layers.length > 0 ? viewScaleBar(viewer) : null)
    status.setCrsChoices(viewer.crsChoices, viewer.viewCrs.id)
    activity.show()
    webLayers.update()
    updateReadout()
  })
  if (diagnosticsRequested()) {
    installDiagnostics(viewer, () => activity.active, () => bridge.stats(), () => bridge.wire, () => timeline.entries, {
      connected: () => connection.open,
      connectedAt: () => connection.connectedAt,
      drop: () => (bridge instanceof WebSocketBridge ? bridge.dropConnection() : undefined)
    })
  }
  document.body.dataset.ready = 'true'
}

/** The navigator in the sidebar: the whole picture, the view's rectangle, and the view buttons. */
function createNavigator(sidebar: HTMLElement, viewer: Viewer, commands: ViewCommands, orientation: ViewOrientation, shownExtent: () => ReturnType<typeof layersExtent>): Navigator {
  return new Navigator(sidebar, {
    content: shownExtent,
    outlines: () => viewer.layers.filter((l) => l.visible).map((l) => layersExtent([l])!),
    view: () => viewer.view,
    sharp: () => viewer.stats().sharp,
    renderedCanvas: () => {
      viewer.app.render()
      return viewer.app.canvas
    },
    centerOn: (x, y) => viewer.camera.setView({ centerX: x, centerY: y, zoom: viewer.view.zoom }),
    fit: () => commands.fit(),
    actualPixels: () => commands.actualPixels(),
    zoomBy: (factor) => commands.zoomBy(factor),
    rotate: (turns) => orientation.rotate(turns),
    flip: () => orientation.flip(),
    fullscreen: () => commands.toggleFullscreen()
  })
}

/** What each shortcut of `ui/shortcuts.ts` does. */
function keyActions(on: { session: Session; commands: ViewCommands; orientation: ViewOrientation; dropZone: DropZone; help: HelpOverlay; crsDialog: SetCrsDialog; urlDialog: OpenUrlDialog; mapLayerDialog: AddMapLayerDialog; errors: ErrorList; toggleSidebar: () => void }): ShortcutHandlers {
  const { session, commands, orientation } = on
  const { showing } = session
  return {
    open: () => on.dropZone.openDialog(),
    openUrl: () => on.urlDialog.show(),
    addMapLayer: () => on.mapLayerDialog.show(),
    previous: () => showing.browse(-1),
    next: () => showing.browse(1),
    toggleBrowse: () => showing.toggle(),
    rotateClockwise: () => orientation.rotate(1),
    rotateCounterClockwise: () => orientation.rotate(-1),
    flip: () => orientation.flip(),
    fullscreen: () => commands.toggleFullscreen(),
    help: () => on.help.toggle(),
    escape: () => (on.mapLayerDialog.open ? on.mapLayerDialog.hide() : on.urlDialog.open ? on.urlDialog.hide() : on.crsDialog.open ? on.crsDialog.hide() : on.help.open ? on.help.hide() : on.errors.clear()),
    exportPng: () => void commands.exportPng(),
    copyReadout: () => commands.copyReadout(),
    toggleSidebar: on.toggleSidebar,
    layerUp: () => showing.move(session.rows.selected ?? showing.browsed, 1),
    layerDown: () => showing.move(session.rows.selected ?? showing.browsed, -1),
    fit: () => commands.fit(),
    actualPixels: () => commands.actualPixels(),
    zoomIn: () => commands.zoomBy(2),
    zoomOut: () => commands.zoomBy(0.5),
    panLeft: () => commands.pan(-1, 0),
    panRight: () => commands.pan(1, 0),
    panUp: () => commands.pan(0, -1),
    panDown: () => commands.pan(0, 1)
  }
}

/**
 * `?scheduling=fifo` switches prioritisation and cancellation off, in the service and in the
 * renderer (the baseline of `bench/view.ts`); anything else keeps the default, 'priority'.
 */
function schedulingFromUrl(): 'priority' | 'fifo' {
  return new URLSearchParams(window.location.search).get('scheduling') === 'fifo' ? 'fifo' : 'priority'
}

/** Asks the service for FIFO scheduling; true when the renderer should schedule so too (even if the service refused, as before). */
async function switchToFifo(bridge: TesseraBridge, errors: ErrorList): Promise<boolean> {
  try {
    await bridge.configure('fifo')
  } catch (error) {
    errors.show('Could not switch the service to FIFO scheduling', messageOf(error))
  }
  return true
}

/**
 * Where layers send their tile requests. In 'fifo' mode (the benchmark baseline) the renderer
 * withdraws nothing either, and sends every request at once (no flow control: nothing held back to
 * withdraw for free).
 */
function tileTransport(bridge: TesseraBridge, fifo: boolean): TileTransport {
  return fifo ? { requestTiles: (id, tiles) => bridge.requestTiles(id, tiles), cancelObsolete: () => undefined } : bridge
}

/** `?budget=<MB>` overrides the texture cache budget. */
function budgetFromUrl(): number {
  const mb = Number(new URLSearchParams(window.location.search).get('budget'))
  return mb > 0 ? mb * 1024 * 1024 : DEFAULT_TEXTURE_BUDGET
}

/** The host's own Open dialog (Electron), whose files the host announces (raster-opened, with each file's place); none in a browser. */
function hostOpenDialog(bridge: TesseraBridge, errors: ErrorList): (() => void) | undefined {
  const show = bridge.showOpenDialog?.bind(bridge)
  if (!show) return undefined
  return () => {
    show()
      .then(() => undefined)
      .catch((error: unknown) => errors.show('Could not open the file', messageOf(error)))
  }
}

/**
 * What must stay in view and what the navigator shows: the visible layers (all of them when none
 * is visible). Asked for on every tick (ContentBounds): computed again when the layers shown
 * change, and at most once a second otherwise (a reprojected border is sampled).
 */
function shownExtentOf(viewer: Viewer): () => ReturnType<typeof layersExtent> {
  let cache: { key: string; at: number; extent: ReturnType<typeof layersExtent> } | null = null
  return () => {
    const visible = viewer.layers.filter((l) => l.visible)
    const shown = visible.length > 0 ? visible : viewer.layers
    const key = `${viewer.viewCrs.epsg} ${shown.map((l) => `${l.rasterId}:${l.info.width}x${l.info.height}:${Object.values(l.transform).join(',')}:${viewer.placement(l.rasterId)?.note ?? ''}`).join(' ')}`
    const now = performance.now()
    if (cache && cache.key === key && now - cache.at < 1000) return cache.extent
    cache = { key, at: now, extent: layersExtent(shown) }
    return cache.extent
  }
}

/**
 * Follows the pointer over the picture (not over the drop zone's button), in the camera's screen
 * through any turn of the view, and makes Shift+double-click zoom out at the point clicked (the
 * camera's double-click zooms in).
 */
function trackPointer(stage: HTMLElement, orientation: ViewOrientation, viewer: Viewer, moved: (at: { x: number; y: number } | null) => void): void {
  stage.addEventListener('pointermove', (e) => moved(e.target instanceof HTMLCanvasElement ? orientation.clientToCanvas(e.clientX, e.clientY) : null))
  stage.addEventListener('pointerleave', () => moved(null))
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
}

/** The page's local storage, or null where it is forbidden (some private modes throw on access). */
function pageStorage(): Storage | null {
  try {
    return window.localStorage
  } catch {
    return null
  }
}

function required(id: string): HTMLElement {
  const el = document.getElementById(id)
  if (!el) throw new Error(`Expected an element #${id} in index.html but found none`)
  return el
}

main().catch((error: unknown) => {
  const box = document.getElementById('errors')
  if (box) new ErrorList(box).show('Tessera could not start', messageOf(error))
  console.error(error)
})
