/** What the session of layers is given, and what it tells (see `Session.ts`). */
import type { TesseraBridge } from '../bridge/types'
import type { LayerActions, LayerEntry } from '../ui/LayersPanel'
import type { ViewMode } from '../ui/browsing'
import type { Viewer } from '../view/Viewer'
import type { Connection } from './Connection'
import type { Turnable } from './PerImageOrientation'
import type { CrsMemory } from './crsMemory'
import type { CrsInfo } from '../../shared/raster'
import type { WebLayerStatus } from './webLayerStatus'

/** The layers list as the session drives it (`ui/LayersPanel.ts`). */
export interface LayerRows {
  readonly root: HTMLElement
  readonly selected: string | null
  upsert(entry: LayerEntry): void
  remove(rasterId: string): void
  setVisible(rasterId: string, visible: boolean): void
  setLoading(rasterId: string, loading: boolean): void
  setSelected(rasterId: string | null): void
  /** Shows an opacity set by something else than its slider (a web layer reopened as saved). */
  setOpacity?(rasterId: string, opacity: number): void
  /** A web layer's service and state (loading, tiles failed, its error); null: none. */
  setStatus?(rasterId: string, status: WebLayerStatus | null): void
}

/** Messages for a person (`ui/ErrorList.ts`): one per key at most. */
export interface SessionMessages {
  show(title: string, message: string, options?: { key?: string }): void
  dismiss(key: string): void
}

/** What the session shows besides the layers list and its events. */
export interface SessionUi {
  /** A picture of a layer changed (opacity, stretch): the navigator takes a new one. */
  pictureChanged(): void
  /** A short note for a person. */
  toast(text: string): void
  /** Progress of a layer's long work (an upload, a pyramid build); 1 ends it. */
  progress(id: string, label: string, fraction: number): void
}

/** Which files are shown and how: what the title, toolbar and status bar say. */
export interface ShownState {
  /** Layers open. */
  layerCount: number
  mode: ViewMode
  /** More than one layer: browsing is possible. */
  canBrowse: boolean
  /** The window's title. */
  title: string
  /** "2 / 5  name" while browsing, else ''. */
  position: string
  /** What the status bar says of the file shown: its position while browsing, its name otherwise. */
  fileLabel: string
}

export interface SessionDeps {
  bridge: TesseraBridge
  viewer: Viewer
  connection: Connection
  messages: SessionMessages
  orientation: Turnable
  ui: SessionUi
  /** Makes the layers list with the actions its rows call. */
  makeRows(actions: LayerActions): LayerRows
  /** Fits the view to the layers shown. */
  fitShown(): void
  /** Resolves once the canvas has the size of the view as it is turned now. */
  orientationSettled(): Promise<void>
  /** Records when a file reached a step of its opening (diagnostics). */
  mark(step: string, name: string): void
  /** Asks a person for a layer's CRS (Set CRS…); `done` gets the CRS chosen, never called when cancelled. */
  askCrs(layerName: string, current: string | null, done: (crs: CrsInfo) => void): void
  /** Where the CRS set for each file is remembered. */
  crsMemory: CrsMemory
  /** A URL opened (Open URL…'s recent list remembers it). */
  urlOpened?(url: string): void
}

