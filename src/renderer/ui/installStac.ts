/**
 * STAC in the page (issue 25), installed by one call of `main.ts`: the STAC browser and its opener,
 * and the two hooks of the open paths: a URL (Open URL…, dropped, pasted) that ends in `.json` is
 * read as a STAC document instead of opened as a raster, and so is a dropped `.json` file.
 */
import type { TesseraBridge } from '../bridge/types'
import type { Session } from '../session/Session'
import { StacOpener, looksLikeStac } from '../session/openStac'
import type { Viewer } from '../view/Viewer'
import type { ViewOrientation } from './ViewOrientation'
import { StacBrowser } from './StacBrowser'

export interface StacInstallDeps {
  bridge: TesseraBridge
  session: Session
  viewer: Viewer
  orientation: ViewOrientation
  stage: HTMLElement
  messages: { show(title: string, message: string): void }
}

export interface StacHooks {
  /** Opens `url`: a STAC document in the browser when it ends in `.json`, else a raster. */
  openUrl(url: string): void
  /** Opens dropped files: `.json` ones as STAC documents, the others as rasters. */
  openFiles(files: File[]): void
  browser: StacBrowser
}

export function installStac(deps: StacInstallDeps): StacHooks {
  const { bridge, session, viewer, orientation } = deps
  let source: { href: string; text?: string } | null = null
  const opener: StacOpener = new StacOpener({
    read: (params) => bridge.calls['stac-read'](params),
    openUrls: (urls) => session.urls.open(urls),
    openPath: async (path, name) => {
      const opened = await bridge.openPath(path, name)
      session.add(opened, session.beginBatch(1), 0)
      return opened
    },
    show: (document, from) => {
      source = from
      browser.show(document)
    },
    messages: deps.messages
  })
  const browser: StacBrowser = new StacBrowser({
    parent: deps.stage,
    overlayHost: orientation.canvasHost,
    stage: deps.stage,
    view: () => viewer.view,
    viewCrs: () => viewer.viewCrs.id,
    clientToCanvas: (x, y) => orientation.clientToCanvas(x, y),
    openAssets: (assets) => void opener.openAssets(assets),
    page: (first) => (source ? opener.page(source, first) : Promise.resolve(null))
  })
  viewer.onFrame(() => browser.redraw())
  return {
    browser,
    openUrl: (url) => {
      if (looksLikeStac(url)) void opener.openHref(url)
      else void session.urls.open([url])
    },
    openFiles: (files) => {
      const stac = files.filter((f) => looksLikeStac(f.name))
      for (const file of stac) void opener.openFile(file, window.tessera?.pathForFile(file) || null)
      const rasters = files.filter((f) => !stac.includes(f))
      if (rasters.length > 0) void session.files.open(rasters)
    }
  }
}
