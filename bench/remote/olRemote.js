// The OpenLayers peer of bench/remote.ts: `ol/source/GeoTIFF` (geotiff.js, its decoder workers, its
// own range requests and block cache) and a WebGL tile layer on a COG at an absolute URL on another
// origin (nginx behind the fault proxy: the browser needs CORS), in a viewer element of Tessera's
// size (?w=&h=). Bundled by esbuild (bench/web/pageServer.ts). Nothing opens until the bench calls
// `__benchOpen(options)`, so that "first pixels" times the open, not the page's own load; the same
// camera as Tessera's setView (image pixels: map X = x, map Y = −y, 1 m a pixel); sharp = a
// rendercomplete, after the last move, of a frame showing the view as set (olRenderComplete.js); first pixels = the first frame the layer drew after a tile
// had loaded.
import Map from 'ol/Map.js'
import View from 'ol/View.js'
import GeoTIFF from 'ol/source/GeoTIFF.js'
import TileLayer from 'ol/layer/WebGLTile.js'
import { onRenderCompleteOfCurrentView } from './olRenderComplete.js'

const params = new URLSearchParams(location.search)
const box = document.getElementById('map')
box.style.width = `${Number(params.get('w')) || 1280}px`
box.style.height = `${Number(params.get('h')) || 800}px`

const counts = { started: 0, decoded: 0, failed: 0, movedAt: 0, completeAt: 0, openAt: 0, firstPixelsAt: 0, errors: [] }

window.__benchOpen = ({ url, kind, min, max }) => {
  counts.openAt = performance.now()
  const source = new GeoTIFF({
    sources: [kind === 'dem' ? { url, min, max } : { url }],
    // The RGB COG is JPEG in YCbCr: geotiff.js gives RGB.
    convertToRGB: kind === 'rgb' ? 'auto' : false,
    normalize: true,
    interpolate: true,
    // No fade-in: a tile is drawn as soon as it is loaded.
    transition: 0
  })
  // A DEM in grey, stretched over its range (normalize maps min…max to 0…1).
  const style = kind === 'dem' ? { color: ['array', ['band', 1], ['band', 1], ['band', 1], 1] } : undefined
  const layer = new TileLayer({ source, ...(style ? { style } : {}) })
  source.on('tileloadstart', () => counts.started++)
  source.on('tileloadend', () => counts.decoded++)
  source.on('tileloaderror', () => counts.failed++)
  layer.on('postrender', () => {
    if (counts.firstPixelsAt === 0 && counts.decoded > 0) counts.firstPixelsAt = performance.now()
  })
  const map = new Map({ target: box, layers: [layer], controls: [], interactions: [] })
  onRenderCompleteOfCurrentView(map, () => (counts.completeAt = performance.now()))
  return source.getView().then(
    (options) => {
      // Free zoom (no snapping to the COG's resolutions), no extent clamp: the camera is the bench's.
      const view = new View({ projection: options.projection, maxResolution: 1024, minResolution: 1 / 64, constrainResolution: false, smoothResolutionConstraint: false, showFullExtent: true })
      map.setView(view)
      view.fit(source.getTileGrid().getExtent())
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
    },
    (error) => {
      counts.errors.push(String(error && error.message ? error.message : error))
      return { ok: false, error: counts.errors.at(-1) }
    }
  )
}
window.__benchCounts = counts
document.body.dataset.ready = 'true'
