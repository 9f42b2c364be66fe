import { afterEach, describe, expect, it, vi } from 'vitest'
import { MAX_STORED_WEB_LAYERS, readWebLayers, webLayerParams, writeWebLayers, type StoredWebLayer } from '../../src/renderer/session/webLayerList'
import { sameStatus, TileFailures, webLayerStatus } from '../../src/renderer/session/webLayerStatus'
import { filterLayers, openParamsFor, preferredFormat, presetOf, timeOptions, WEB_LAYER_PRESETS, withTimeout } from '../../src/renderer/ui/webLayerChoice'
import { attributionsOf } from '../../src/renderer/ui/Attribution'
import { webSourceRows } from '../../src/renderer/ui/webSourceRows'
import { shortcutFor } from '../../src/renderer/ui/shortcuts'
import type { WebCapabilities, WebLayerChoice } from '../../src/shared/webLayers'
import { validateClientMessage } from '../../src/shared/validate'
import { fitTargets } from '../../src/renderer/view/map/extent'
import { withoutTileKey } from '../../src/renderer/session/tileErrors'

const wms: StoredWebLayer = {
  params: { service: 'wms', url: 'http://127.0.0.1:8080/wms?map=ortho', layer: 'ortho', format: 'image/png', viewCrs: 'EPSG:2154', title: 'Orthophoto' },
  visible: true,
  opacity: 0.8
}
const xyz: StoredWebLayer = {
  params: { service: 'xyz', url: 'https://tile.openstreetmap.org/{z}/{x}/{y}.png', layer: 'https://tile.openstreetmap.org/{z}/{x}/{y}.png', attribution: '© OpenStreetMap contributors' },
  visible: false,
  opacity: 1
}

describe('the saved list of web layers', () => {
  it('reads back what it wrote, in the same order, with visibility and opacity', () => {
    expect(readWebLayers(writeWebLayers([wms, xyz]))).toEqual({ layers: [wms, xyz], notes: [] })
  })

  it('reads nothing saved as no layers and no note', () => {
    expect(readWebLayers(null)).toEqual({ layers: [], notes: [] })
  })

  it('drops a list that is not JSON whole, and says so', () => {
    const read = readWebLayers('{"layers": [')
    expect(read.layers).toEqual([])
    expect(read.notes).toEqual(['The saved map layers were dropped: their list is not JSON'])
  })

  it('drops JSON without a list of layers, and says so', () => {
    expect(readWebLayers('[1, 2]').notes).toEqual(['The saved map layers were dropped: expected a list of layers but found none'])
  })

  it('drops a corrupt entry with a note naming it and why, and keeps the others', () => {
    const text = JSON.stringify({
      layers: [
        wms,
        { ...xyz, params: { ...xyz.params, service: 'tms' } },
        { ...wms, opacity: 3 },
        { ...wms, params: { ...wms.params, url: 'file:///etc/passwd' } },
        { ...wms, params: { ...wms.params, style: 42 } },
        { ...wms, visible: 'yes' },
        'nonsense',
        { ...wms, params: { ...wms.params, layer: '' } },
        xyz
      ]
    })
    const read = readWebLayers(text)
    expect(read.layers).toEqual([wms, xyz])
    expect(read.notes).toEqual([
      'The saved map layer 2 was dropped: its service is "tms", not wms, wmts, xyz',
      'The saved map layer 3 was dropped: expected an opacity from 0 to 1 but found 3 (number)',
      'The saved map layer 4 was dropped: its URL "file:///etc/passwd" is not an http: or https: URL',
      'The saved map layer 5 was dropped: expected its style as text but found 42 (number)',
      'The saved map layer 6 was dropped: expected visible true or false but found "yes"',
      'The saved map layer 7 was dropped: expected an object but found "nonsense"',
      'The saved map layer 8 was dropped: expected a layer name but found ""'
    ])
  })

  it('leaves out fields the call does not know', () => {
    const read = readWebLayers(JSON.stringify({ layers: [{ ...wms, params: { ...wms.params, script: 'alert(1)' } }] }))
    expect(read.layers[0]!.params).toEqual(wms.params)
  })

  it('refuses a field longer than the call takes', () => {
    expect(webLayerParams({ ...wms.params, title: 'x'.repeat(256) })).toMatch(/^expected its title as text but found "x{60}…"$/)
  })

  it("keeps an XYZ layer's zoom range, and refuses one that is not a zoom", () => {
    expect(webLayerParams({ ...wms.params, minZoom: 2, maxZoom: 17 })).toEqual({ ...wms.params, minZoom: 2, maxZoom: 17 })
    expect(webLayerParams({ ...wms.params, maxZoom: 31 })).toBe('expected its maxZoom as a zoom from 0 to 30 but found 31 (number)')
    expect(webLayerParams({ ...wms.params, minZoom: '3' })).toBe('expected its minZoom as a zoom from 0 to 30 but found "3"')
  })

  it('keeps at most MAX_STORED_WEB_LAYERS, and says how many more were dropped', () => {
    const many = Array.from({ length: MAX_STORED_WEB_LAYERS + 3 }, () => wms)
    const read = readWebLayers(JSON.stringify({ layers: many }))
    expect(read.layers).toHaveLength(MAX_STORED_WEB_LAYERS)
    expect(read.notes).toEqual([`3 saved map layers beyond the first ${MAX_STORED_WEB_LAYERS} were dropped`])
  })

  it('saves parameters that the open-web-layer call accepts as they are', () => {
    for (const { params } of readWebLayers(writeWebLayers([wms, xyz])).layers) {
      expect(() => validateClientMessage({ type: 'open-web-layer', id: 1, ...params })).not.toThrow()
    }
  })
})

describe('the choice of "Add map layer…"', () => {
  const ortho: WebLayerChoice = {
    name: 'ortho',
    title: 'Orthophoto 2020',
    crs: ['EPSG:2154', 'EPSG:3857', 'EPSG:4326'],
    styles: [
      { name: 'default', title: 'Default' },
      { name: 'grey', title: 'Grey' }
    ],
    formats: ['image/jpeg', 'image/png; mode=8bit', 'image/png'],
    time: { default: '2020-06-01', values: '2019-06-01,2020-06-01' }
  }
  const dem: WebLayerChoice = { name: 'dem', title: 'Elevation', crs: ['EPSG:2154'], styles: [], formats: ['image/tiff'] }
  const capabilities: WebCapabilities = { service: 'wms', title: 'Test WMS', version: '1.3.0', layers: [ortho, dem], attribution: 'Test provider' }
  const url = ' http://127.0.0.1:8080/cgi-bin/mapserv?map=/tmp/test.map&SERVICE=WMS&REQUEST=GetCapabilities '

  it('asks in the view’s CRS, the first style, PNG, the default time, the service’s attribution and the layer’s title by default', () => {
    expect(openParamsFor(url, capabilities, ortho, {}, 'EPSG:2154')).toEqual({
      service: 'wms',
      url: url.trim(),
      layer: 'ortho',
      style: 'default',
      format: 'image/png',
      viewCrs: 'EPSG:2154',
      time: '2020-06-01',
      attribution: 'Test provider',
      title: 'Orthophoto 2020'
    })
  })

  it('asks in what the person picked instead', () => {
    const params = openParamsFor(url, capabilities, ortho, { style: 'grey', format: 'image/jpeg', crs: 'EPSG:4326', time: '2019-06-01' }, 'EPSG:2154')
    expect(params).toMatchObject({ style: 'grey', format: 'image/jpeg', crs: 'EPSG:4326', time: '2019-06-01', viewCrs: 'EPSG:2154' })
  })

  it('leaves the view’s CRS to the host when the view has none yet, and states nothing absent', () => {
    expect(openParamsFor(url, { ...capabilities, attribution: undefined }, dem, {}, null)).toEqual({ service: 'wms', url: url.trim(), layer: 'dem', format: 'image/tiff', title: 'Elevation' })
  })

  it('passes a WMTS tile matrix set picked', () => {
    const wmts: WebLayerChoice = { ...dem, tileMatrixSets: ['GoogleMapsCompatible', 'LAMB93'] }
    expect(openParamsFor(url, { ...capabilities, service: 'wmts' }, wmts, { tileMatrixSet: 'LAMB93' }, null)).toMatchObject({ service: 'wmts', tileMatrixSet: 'LAMB93' })
  })

  it('gives a preset its provider’s attribution, its name and its zooms', () => {
    const osm = WEB_LAYER_PRESETS[0]!
    const layer: WebLayerChoice = { name: osm.url, title: osm.url, crs: ['EPSG:3857'], styles: [], formats: [] }
    const params = openParamsFor(osm.url, { service: 'xyz', title: osm.url, layers: [layer] }, layer, {}, 'EPSG:3857', presetOf(osm.url))
    expect(params).toEqual({ service: 'xyz', url: osm.url, layer: osm.url, viewCrs: 'EPSG:3857', attribution: '© OpenStreetMap contributors', title: 'OpenStreetMap', minZoom: 0, maxZoom: 19 })
  })

  it('takes the attribution typed for an XYZ template over the preset’s, none when it is emptied', () => {
    const osm = WEB_LAYER_PRESETS[0]!
    const layer: WebLayerChoice = { name: osm.url, title: osm.url, crs: ['EPSG:3857'], styles: [], formats: [] }
    const capabilities: WebCapabilities = { service: 'xyz', title: osm.url, layers: [layer] }
    expect(openParamsFor(osm.url, capabilities, layer, { attribution: ' © Someone ' }, null, presetOf(osm.url)).attribution).toBe('© Someone')
    expect(openParamsFor(osm.url, capabilities, layer, { attribution: '' }, null, presetOf(osm.url))).not.toHaveProperty('attribution')
  })

  it('makes parameters the open-web-layer call accepts, a long title shortened', () => {
    const long = { ...ortho, title: 'T'.repeat(1000) }
    const params = openParamsFor(url, capabilities, long, {}, 'EPSG:2154')
    expect(() => validateClientMessage({ type: 'open-web-layer', id: 1, ...params })).not.toThrow()
  })

  it('offers OpenStreetMap, OpenTopoMap and Esri World Imagery, each with an attribution and a template', () => {
    expect(WEB_LAYER_PRESETS.map((p) => p.label)).toEqual(['OpenStreetMap', 'OpenTopoMap', 'Esri World Imagery'])
    for (const preset of WEB_LAYER_PRESETS) {
      expect(preset.attribution).not.toBe('')
      expect(preset.url).toMatch(/^https:\/\/.*\{z\}.*\{[xy]\}/)
    }
  })

  it('filters a long list by every word typed, in the title, the name or a CRS', () => {
    expect(filterLayers([ortho, dem], '').map((l) => l.name)).toEqual(['ortho', 'dem'])
    expect(filterLayers([ortho, dem], 'ORTHO 2020').map((l) => l.name)).toEqual(['ortho'])
    expect(filterLayers([ortho, dem], 'elev')).toEqual([dem])
    expect(filterLayers([ortho, dem], '3857')).toEqual([ortho])
    expect(filterLayers([ortho, dem], 'ortho elevation')).toEqual([])
  })

  it('prefers PNG, then JPEG, then the first format offered', () => {
    expect(preferredFormat(['image/jpeg', 'image/png'])).toBe('image/png')
    expect(preferredFormat(['image/gif', 'image/jpeg'])).toBe('image/jpeg')
    expect(preferredFormat(['image/tiff'])).toBe('image/tiff')
    expect(preferredFormat([])).toBeUndefined()
  })

  it('lists the times of a comma list, and none of a period', () => {
    expect(timeOptions(ortho.time)).toEqual(['2019-06-01', '2020-06-01'])
    expect(timeOptions({ values: '2000-01-01/2020-01-01/P1Y' })).toEqual([])
    expect(timeOptions(undefined)).toEqual([])
  })
})

describe('withTimeout', () => {
  afterEach(() => vi.useRealTimers())

  it('rejects with the server named once the time is up', async () => {
    vi.useFakeTimers()
    const never = new Promise<never>(() => undefined)
    const timed = withTimeout(never, 20_000, 'https://tile.openstreetmap.org')
    vi.advanceTimersByTime(20_000)
    await expect(timed).rejects.toThrow('No answer from https://tile.openstreetmap.org after 20 s')
  })

  it('resolves and rejects as the promise does before then', async () => {
    await expect(withTimeout(Promise.resolve(7), 1000, 'x')).resolves.toBe(7)
    await expect(withTimeout(Promise.reject(new Error('getaddrinfo ENOTFOUND')), 1000, 'x')).rejects.toThrow('getaddrinfo ENOTFOUND')
  })
})

describe('a web layer’s row', () => {
  const base = { service: 'wms' as const, pending: 0, failed: 0, lastError: null, error: null }

  it('names its service and says nothing more when its tiles are in', () => {
    expect(webLayerStatus(base)).toEqual({ service: 'WMS', state: 'ready', text: '' })
  })

  it('says it is loading while tiles are on their way', () => {
    expect(webLayerStatus({ ...base, service: 'xyz', pending: 3 })).toEqual({ service: 'XYZ', state: 'loading', text: 'loading 3 tiles…' })
  })

  it('says how many tiles failed with the server’s last words, before loading', () => {
    expect(webLayerStatus({ ...base, service: 'wmts', pending: 2, failed: 4, lastError: 'HTTP 404 Not Found' })).toEqual({ service: 'WMTS', state: 'failed', text: '4 tiles failed: HTTP 404 Not Found' })
    expect(webLayerStatus({ ...base, failed: 1 }).text).toBe('1 tile failed')
  })

  it('says which failed tiles are asked again (their server failed for now), until they load', () => {
    const failed = { ...base, failed: 1, retrying: 1, lastError: 'HTTP 503 Service Unavailable' }
    expect(webLayerStatus(failed)).toEqual({ service: 'WMS', state: 'failed', text: '1 tile failed: HTTP 503 Service Unavailable (asked again while on screen)' })
    expect(webLayerStatus({ ...failed, failed: 3, retrying: 3 }).text).toBe('3 tiles failed: HTTP 503 Service Unavailable (all asked again while on screen)')
    expect(webLayerStatus({ ...failed, failed: 3, retrying: 2 }).text).toBe('3 tiles failed: HTTP 503 Service Unavailable (2 asked again while on screen)')
    expect(webLayerStatus({ ...failed, retrying: 0 }).text).toBe('1 tile failed: HTTP 503 Service Unavailable')
  })

  it('says the layer’s own error first', () => {
    expect(webLayerStatus({ ...base, failed: 2, error: 'ServiceException: LayerNotDefined' }).text).toBe('ServiceException: LayerNotDefined')
  })

  it('compares two statuses by what they say', () => {
    expect(sameStatus(webLayerStatus(base), webLayerStatus(base))).toBe(true)
    expect(sameStatus(webLayerStatus(base), webLayerStatus({ ...base, pending: 1 }))).toBe(false)
    expect(sameStatus(null, webLayerStatus(base))).toBe(false)
  })
})

describe('TileFailures', () => {
  it('counts each failed tile once, with the last failure’s words', () => {
    const failures = new TileFailures()
    failures.failed('r/0/0/0', 'HTTP 404')
    failures.failed('r/0/0/0', 'HTTP 404')
    failures.failed('r/0/1/0', 'HTTP 500 Internal Server Error')
    expect(failures.count).toBe(2)
    expect(failures.lastError).toBe('HTTP 500 Internal Server Error')
  })

  it('no longer counts a tile that arrived after all, and forgets the words once none counts', () => {
    const failures = new TileFailures()
    failures.failed('r/0/0/0', 'HTTP 503')
    failures.failed('r/0/1/0', 'HTTP 503')
    failures.arrived('r/0/0/0')
    expect(failures.count).toBe(1)
    expect(failures.lastError).toBe('HTTP 503')
    failures.arrived('r/0/1/0')
    failures.arrived('r/9/9/9')
    expect([failures.count, failures.lastError]).toEqual([0, null])
  })

  it('counts a tile asked again (failed for now) as failed until it arrives, and as retried only while its last failure was for now', () => {
    const failures = new TileFailures()
    failures.failed('r/0/0/0', 'HTTP 503', true)
    failures.failed('r/0/0/0', 'HTTP 503', true) // its retry failed too: still one
    failures.failed('r/0/1/0', 'HTTP 503', true)
    expect([failures.count, failures.retrying]).toEqual([2, 2])
    failures.failed('r/0/1/0', 'ServiceException: bad bbox') // then refused for good
    expect([failures.count, failures.retrying]).toEqual([2, 1])
    failures.arrived('r/0/0/0') // the server is back
    expect([failures.count, failures.retrying]).toEqual([1, 0])
  })
})

describe('attributionsOf', () => {
  const layer = (attribution: string | null, visible = true) => ({ visible, info: { source: attribution === null ? undefined : { kind: 'web' as const, service: 'xyz' as const, url: 'u', layer: 'l', attribution } } })

  it('lists the attribution of every visible web layer once, the top layer’s first', () => {
    expect(attributionsOf([layer('A'), layer(null), layer('B'), layer('A'), layer('C', false)])).toEqual(['A', 'B'])
  })

  it('lists nothing for layers without one, or hidden', () => {
    expect(attributionsOf([layer(''), layer('X', false), layer(null)])).toEqual([])
  })
})

describe('webSourceRows', () => {
  it('says a web layer’s service, URL, layer and attribution, and nothing of a file', () => {
    expect(webSourceRows({ kind: 'web', service: 'wmts', url: 'http://h/wmts', layer: 'ortho', attribution: '' })).toEqual([
      ['Service', 'WMTS'],
      ['URL', 'http://h/wmts'],
      ['Layer', 'ortho'],
      ['Attribution', 'none stated']
    ])
    expect(webSourceRows(undefined)).toEqual([])
  })
})

describe('the shortcut of Add map layer…', () => {
  const key = (k: string, shiftKey: boolean) => ({ key: k, ctrlKey: true, metaKey: false, altKey: false, shiftKey })

  it('is Ctrl+Shift+L, with or without Caps Lock, and leaves Ctrl+L to Open URL…', () => {
    expect(shortcutFor(key('L', true), false)?.action).toBe('addMapLayer')
    expect(shortcutFor(key('l', true), false)?.action).toBe('addMapLayer')
    expect(shortcutFor(key('l', false), false)?.action).toBe('openUrl')
    expect(shortcutFor(key('L', false), false)?.action).toBe('openUrl')
  })
})

describe('fitTargets with web map layers', () => {
  const georeference = { crs: 'EPSG:3857' }
  const web = (service: 'wms' | 'xyz') => ({ georeference, source: { kind: 'web', service } })
  const layer = (rasterId: string, info: { georeference: unknown; source?: { kind: string; service?: string } }, visible = true) => ({ rasterId, visible, info })

  it('fits the files shown, not the web layers around them', () => {
    expect(fitTargets([layer('osm', web('xyz')), layer('wms', web('wms')), layer('dem', { georeference })])).toEqual(['dem'])
  })

  it('fits a WMS layer’s bounds, not an XYZ layer’s whole world, when only web layers are shown', () => {
    expect(fitTargets([layer('osm', web('xyz')), layer('ortho', web('wms'))])).toEqual(['ortho'])
  })

  it('fits the world of an XYZ layer shown alone', () => {
    expect(fitTargets([layer('osm', web('xyz')), layer('dem', { georeference }, false)])).toEqual(['osm'])
  })
})

describe('a web tile’s error as its row says it', () => {
  it('keeps a host named tile.… whole', () => {
    const message = 'Cannot read tile r7/17/3/3 of XYZ layer https://tile.openstreetmap.org/{z}/{x}/{y}.png: cannot resolve host tile.openstreetmap.org (ENOTFOUND)'
    expect(withoutTileKey(message, 'r7/17/3/3')).toBe('Cannot read tile of XYZ layer https://tile.openstreetmap.org/{z}/{x}/{y}.png: cannot resolve host tile.openstreetmap.org (ENOTFOUND)')
  })
})
