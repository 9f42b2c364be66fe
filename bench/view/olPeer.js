// The second peer of bench/view.ts: OpenLayers (npm `ol`) with `ol/source/GeoTIFF` and a WebGL
// tile layer on the bench's COG, read over HTTP range requests from the peer server (/image.tif),
// in a viewer element of Tessera's size (?w=&h=). Bundled by esbuild (bench/view/peerServer.ts).
// Instant camera moves (the bench drives the camera); measured with OpenLayers' own events:
// tileloadstart/tileloadend/tileloaderror for tiles decoded, rendercomplete for sharp (every tile
// the view wants is loaded and drawn). OpenLayers says nothing per tile drawn: "displayed" is not
// measured (null), nor texture bytes (0).
import Map from 'ol/Map.js'
import View from 'ol/View.js'
import GeoTIFF from 'ol/source/GeoTIFF.js'
import TileLayer from 'ol/layer/WebGLTile.js'

const params = new URLSearchParams(location.search)
const box = document.getElementById('map')
box.style.width = `${Number(params.get('w')) || 1280}px`
box.style.height = `${Number(params.get('h')) || 800}px`

const source = new GeoTIFF({
  sources: [{ url: '/image.tif' }],
  // The COG is JPEG in YCbCr: geotiff.js gives RGB.
  convertToRGB: 'auto',
  normalize: true,
  interpolate: true,
  // No fade-in: a tile is drawn as soon as it is loaded (OpenSeadragon's animations are off too).
  transition: 0
})
const layer = new TileLayer({ source })
const counts = { started: 0, decoded: 0, failed: 0, sharp: false, movedAt: 0, completeAt: 0 }
source.on('tileloadstart', () => counts.started++)
source.on('tileloadend', () => counts.decoded++)
source.on('tileloaderror', () => counts.failed++)

const map = new Map({ target: box, layers: [layer], controls: [], interactions: [] })
map.on('rendercomplete', () => (counts.completeAt = performance.now()))

source.getView().then((options) => {
  // Free zoom, as the script's views are (no snapping to the COG's resolutions).
  // Only the COG's projection and first view: its resolutions would snap zooms, its extent clamp pans.
  const view = new View({
    projection: options.projection,
    maxResolution: 1024,
    minResolution: 1 / 64,
    constrainResolution: false,
    smoothResolutionConstraint: false,
    showFullExtent: true
  })
  map.setView(view)
  view.fit(source.getTileGrid().getExtent())
  window.__benchAdapter = {
    /** Same camera as Tessera's setView: image-pixel centre, screen px per image px (the COG: map X = x, map Y = −y, 1 m a pixel). */
    setView(v) {
      const before = [...view.getCenter(), view.getResolution()].join()
      view.setCenter([v.centerX, -v.centerY])
      view.setResolution(1 / v.zoom)
      if (before !== [...view.getCenter(), view.getResolution()].join()) counts.movedAt = performance.now()
    },
    /** Sharp: a rendercomplete (no tile left to load for the view, all drawn) after the last move. */
    isSharp: () => counts.completeAt > counts.movedAt,
    textureBytes: () => 0,
    async counters() {
      return { decoded: counts.decoded, displayed: null, busy: counts.started > counts.decoded + counts.failed }
    },
    counts,
    debug: () => ({ state: source.getState(), size: map.getSize(), center: view.getCenter(), resolution: view.getResolution(), extent: source.getTileGrid()?.getExtent(), resolutions: source.getTileGrid()?.getResolutions(), error: source.getError?.()?.message })
  }
  // Ready once the COG is open and the view set, as Tessera's page (its layer opened) and
  // OpenSeadragon's (its 'open'): not at the first rendercomplete, which made "open at fit" time a
  // view already loaded.
  document.body.dataset.ready = 'true'
})
