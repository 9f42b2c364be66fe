// The OpenLayers peer of bench/web.ts: `ol/source/TileWMS` (GetMap tiles of 256 px on OpenLayers'
// own EPSG:3857 grid) or `ol/source/XYZ` (a {z}/{x}/{y} template) in a canvas tile layer, on the
// servers Tessera reads (MapServer, nginx, both behind the fault proxy), in a viewer element of
// Tessera's size (?w=&h=). Bundled by esbuild (bench/remote/pageServer.ts). Nothing opens until the
// bench calls `__benchOpen(options)`; the camera is Tessera's world view (map X, −map Y, screen px
// per metre); sharp = a rendercomplete, after the last move, of a frame that shows the view as set
// (bench/remote/olRenderComplete.js); every tile URL asked for is recorded,
// for the count of tiles fetched for views already left.
import Map from 'ol/Map.js'
import View from 'ol/View.js'
import TileLayer from 'ol/layer/Tile.js'
import TileWMS from 'ol/source/TileWMS.js'
import XYZ from 'ol/source/XYZ.js'
import { onRenderCompleteOfCurrentView } from '../remote/olRenderComplete.js'

const params = new URLSearchParams(location.search)
const box = document.getElementById('map')
box.style.width = `${Number(params.get('w')) || 1280}px`
box.style.height = `${Number(params.get('h')) || 800}px`

const counts = { started: 0, decoded: 0, failed: 0, movedAt: 0, completeAt: 0, openAt: 0, firstPixelsAt: 0 }

window.__benchOpen = ({ service, url, layer: layerName, format, extent }) => {
  counts.openAt = performance.now()
  const common = { transition: 0, crossOrigin: null }
  const source =
    service === 'wms'
      ? new TileWMS({ url, params: { LAYERS: layerName, FORMAT: format || 'image/png', VERSION: '1.3.0', STYLES: '' }, projection: 'EPSG:3857', ...common })
      : new XYZ({ url, ...common })
  const layer = new TileLayer({ source, preload: 0 })
  source.on('tileloadstart', () => counts.started++)
  source.on('tileloadend', () => counts.decoded++)
  source.on('tileloaderror', () => counts.failed++)
  layer.on('postrender', () => {
    if (counts.firstPixelsAt === 0 && counts.decoded > 0) counts.firstPixelsAt = performance.now()
  })
  const view = new View({ projection: 'EPSG:3857', constrainResolution: false, smoothResolutionConstraint: false, showFullExtent: true })
  const map = new Map({ target: box, layers: [layer], controls: [], interactions: [], view })
  // The view Tessera opens the layer at: its extent fitted (a WMS layer's bounding box; the world for XYZ).
  view.fit(extent, { size: map.getSize() })
  onRenderCompleteOfCurrentView(map, () => (counts.completeAt = performance.now()))
  counts.movedAt = performance.now()
  window.__benchAdapter = {
    setView(v) {
      const before = [...view.getCenter(), view.getResolution()].join()
      view.setCenter([v.centerX, -v.centerY])
      view.setResolution(1 / v.zoom)
      if (before !== [...view.getCenter(), view.getResolution()].join()) counts.movedAt = performance.now()
    },
    isSharp: () => counts.completeAt > counts.movedAt,
    textureBytes: () => 0,
    async counters() {
      return { decoded: counts.decoded, displayed: null, busy: counts.started > counts.decoded + counts.failed }
    }
  }
  return { ok: true }
}
window.__benchCounts = counts
document.body.dataset.ready = 'true'
