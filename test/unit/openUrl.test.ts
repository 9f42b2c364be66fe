/**
 * Opening rasters by URL in the renderer (issue 24), the pure parts: which text is an http(s) URL
 * (typed, dropped, pasted), the recent URLs list, the info rows of a raster read from a server, the
 * Ctrl+L shortcut, and the URL opener's bookkeeping against a fake session (places, failures named
 * by URL, the URL kept on the layer's record).
 */
import { describe, expect, it } from 'vitest'
import { checkTypedUrl, recogniseUrl, urlFromDragData, urlLayerName, type DragData } from '../../src/renderer/session/remoteUrls'
import { MAX_RECENT_URLS, RECENT_URLS_KEY, RecentUrls, type RecentUrlStore } from '../../src/renderer/session/recentUrls'
import { UrlOpener } from '../../src/renderer/session/openUrls'
import { LayerRecords } from '../../src/renderer/session/LayerRecords'
import { formatHttpDate, remoteSourceRows } from '../../src/renderer/ui/remoteSourceRows'
import { shortcutFor } from '../../src/renderer/ui/shortcuts'
import { LayerOrder, type OpenBatch } from '../../src/renderer/view/LayerOrder'
import type { OpenedRaster } from '../../src/shared/protocol'
import type { RasterInfo } from '../../src/shared/raster'

describe('recogniseUrl', () => {
  it('takes an http or https URL as given, trimmed', () => {
    expect(recogniseUrl('  https://data.example.com/cogs/dem.tif?X-Amz-Signature=ab%2Fc \n')).toEqual({ kind: 'url', url: 'https://data.example.com/cogs/dem.tif?X-Amz-Signature=ab%2Fc' })
    expect(recogniseUrl('HTTP://127.0.0.1:8080/a.tif')).toEqual({ kind: 'url', url: 'HTTP://127.0.0.1:8080/a.tif' })
  })

  it('refuses a URL of another scheme, naming the scheme', () => {
    for (const [text, scheme] of [
      ['file:///home/me/dem.tif', 'file:'],
      ['ftp://example.com/dem.tif', 'ftp:'],
      ['s3://bucket/dem.tif', 's3:'],
      ['data:image/png;base64,AAAA', 'data:']
    ] as const) {
      const found = recogniseUrl(text)
      expect(found.kind, text).toBe('refused')
      if (found.kind === 'refused') expect(found.reason).toBe(`only http:// and https:// URLs open, not ${scheme} ones`)
    }
  })

  it('refuses an http URL that does not parse, saying so', () => {
    expect(recogniseUrl('http://exa mple.com/a.tif')).toEqual({ kind: 'none' }) // spaces: not one URL
    const found = recogniseUrl('http://[::1/a.tif')
    expect(found).toEqual({ kind: 'refused', text: 'http://[::1/a.tif', reason: '"http://[::1/a.tif" is not a valid URL' })
  })

  it('finds no URL in words, paths, drive letters or a host without a scheme', () => {
    for (const text of ['', 'dem.tif', '/data/dem.tif', 'C:\\data\\dem.tif', 'c:/data/dem.tif', 'localhost:8080/dem.tif', 'see https://example.com/a.tif', 'https://a.example/x.tif\nhttps://b.example/y.tif']) {
      expect(recogniseUrl(text), JSON.stringify(text)).toEqual({ kind: 'none' })
    }
  })
})

describe('checkTypedUrl', () => {
  it('opens an http(s) URL', () => {
    expect(checkTypedUrl(' https://example.com/dem.tif ')).toEqual({ url: 'https://example.com/dem.tif' })
  })

  it('says what to type when the field is empty', () => {
    expect(checkTypedUrl('   ')).toEqual({ error: 'Type or paste the http:// or https:// address of a GeoTIFF or COG' })
  })

  it('names what was typed and what was expected', () => {
    expect(checkTypedUrl('example.com/dem.tif')).toEqual({ error: 'Expected an http:// or https:// URL but received "example.com/dem.tif"' })
    expect(checkTypedUrl('file:///tmp/dem.tif')).toEqual({ error: 'Cannot open file:///tmp/dem.tif: only http:// and https:// URLs open, not file: ones' })
  })
})

describe('urlFromDragData', () => {
  const drag = (data: Record<string, string>): DragData => ({ types: Object.keys(data), getData: (type) => data[type] ?? '' })

  it('takes the first URL of a uri-list, skipping its comments (a link dragged from a browser)', () => {
    const data = drag({ 'text/uri-list': '# a comment\r\nhttps://example.com/a.tif\r\nhttps://example.com/b.tif\r\n', 'text/plain': 'https://example.com/a.tif' })
    expect(urlFromDragData(data)).toEqual({ kind: 'url', url: 'https://example.com/a.tif' })
  })

  it('takes the plain text when there is no uri-list (an address bar, selected text)', () => {
    expect(urlFromDragData(drag({ 'text/plain': ' http://127.0.0.1:9000/dem.tif ' }))).toEqual({ kind: 'url', url: 'http://127.0.0.1:9000/dem.tif' })
  })

  it('leaves a drag with files to the files (a file manager also lists their file: URIs)', () => {
    expect(urlFromDragData(drag({ Files: '', 'text/uri-list': 'file:///tmp/dem.tif' }))).toEqual({ kind: 'none' })
  })

  it('refuses a dropped URL of another scheme', () => {
    expect(urlFromDragData(drag({ 'text/uri-list': 'file:///tmp/dem.tif' })).kind).toBe('refused')
  })

  it('finds nothing in a drag of other data (a layer of the list dragged)', () => {
    expect(urlFromDragData(drag({ 'application/x-tessera-layer': 'r1' }))).toEqual({ kind: 'none' })
  })
})

describe('urlLayerName', () => {
  it('is the last path segment, decoded, else the server', () => {
    expect(urlLayerName('https://example.com/cogs/dem%20v2.tif?sig=1')).toBe('dem v2.tif')
    expect(urlLayerName('https://example.com/cogs/')).toBe('cogs')
    expect(urlLayerName('https://example.com:8443/')).toBe('example.com:8443')
    expect(urlLayerName('https://example.com/bad%E0%A4%A.tif')).toBe('bad%E0%A4%A.tif')
  })
})

/** A store in memory, which can be made to fail. */
function memoryStore(): RecentUrlStore & { items: Map<string, string>; failing: boolean } {
  const items = new Map<string, string>()
  const store = {
    items,
    failing: false,
    getItem: (key: string) => {
      if (store.failing) throw new Error('SecurityError')
      return items.get(key) ?? null
    },
    setItem: (key: string, value: string) => {
      if (store.failing) throw new Error('QuotaExceededError')
      items.set(key, value)
    }
  }
  return store
}

describe('RecentUrls', () => {
  it('lists the URLs opened newest first, each once', () => {
    const recent = new RecentUrls(memoryStore())
    recent.remember('https://a.example/1.tif')
    recent.remember('https://a.example/2.tif')
    recent.remember('https://a.example/1.tif')
    expect(recent.list()).toEqual(['https://a.example/1.tif', 'https://a.example/2.tif'])
  })

  it(`keeps ${MAX_RECENT_URLS} at most, the oldest going first`, () => {
    const recent = new RecentUrls(memoryStore())
    for (let i = 0; i < MAX_RECENT_URLS + 3; i++) recent.remember(`https://a.example/${i}.tif`)
    const list = recent.list()
    expect(list).toHaveLength(MAX_RECENT_URLS)
    expect(list[0]).toBe(`https://a.example/${MAX_RECENT_URLS + 2}.tif`)
    expect(list.at(-1)).toBe('https://a.example/3.tif')
  })

  it('survives a new page on the same storage', () => {
    const store = memoryStore()
    new RecentUrls(store).remember('https://a.example/1.tif')
    expect(new RecentUrls(store).list()).toEqual(['https://a.example/1.tif'])
  })

  it('reads a stored value that is not a list of URLs as none, and keeps only the strings of a list', () => {
    const store = memoryStore()
    store.items.set(RECENT_URLS_KEY, '{not json')
    expect(new RecentUrls(store).list()).toEqual([])
    store.items.set(RECENT_URLS_KEY, '{"a":1}')
    expect(new RecentUrls(store).list()).toEqual([])
    store.items.set(RECENT_URLS_KEY, '["https://a.example/1.tif", 3, null]')
    expect(new RecentUrls(store).list()).toEqual(['https://a.example/1.tif'])
  })

  it('forgets quietly when the storage fails or is absent', () => {
    const store = memoryStore()
    store.failing = true
    const recent = new RecentUrls(store)
    expect(() => recent.remember('https://a.example/1.tif')).not.toThrow()
    expect(recent.list()).toEqual([])
    const none = new RecentUrls(null)
    none.remember('https://a.example/1.tif')
    expect(none.list()).toEqual([])
  })
})

describe('remoteSourceRows', () => {
  it('shows the URL, the server size in bytes and the file date', () => {
    const rows = remoteSourceRows({ kind: 'url', url: 'http://127.0.0.1:8080/dem.tif', size: 1_234_567, lastModified: 'Sun, 06 Dec 2026 07:19:05 GMT', wholeBody: false })
    expect(rows).toEqual([
      ['URL', 'http://127.0.0.1:8080/dem.tif'],
      ['Server size', '1.2 MB (1,234,567 bytes)'],
      ['File date', '2026-12-06 07:19:05 UTC']
    ])
  })

  it('says when the file was read whole because the server ignores Range requests, and when the server gave no date', () => {
    const rows = remoteSourceRows({ kind: 'url', url: 'http://h/a.tif', size: 10, lastModified: null, wholeBody: true })
    expect(rows).toContainEqual(['File date', 'not given by the server'])
    expect(rows).toContainEqual(['Read', 'whole: the server ignores Range requests'])
  })

  it('has no rows for a local file or a web map layer', () => {
    expect(remoteSourceRows(undefined)).toEqual([])
    expect(remoteSourceRows({ kind: 'web', service: 'xyz', url: 'https://tile.example/{z}/{x}/{y}.png', layer: 'osm', attribution: '' })).toEqual([])
  })

  it('shows a date that does not parse as the server wrote it', () => {
    expect(formatHttpDate('yesterday-ish')).toBe('yesterday-ish')
  })
})

describe('Ctrl+L', () => {
  const key = (k: string, ctrlKey: boolean, shiftKey = false) => ({ key: k, ctrlKey, metaKey: false, altKey: false, shiftKey })
  it('opens a URL; l alone does nothing', () => {
    expect(shortcutFor(key('l', true), false)?.action).toBe('openUrl')
    expect(shortcutFor(key('L', true), false)?.action).toBe('openUrl') // Caps Lock on
    expect(shortcutFor(key('l', false), false)).toBeNull()
  })
})

function info(name: string): RasterInfo {
  return { name, fileSize: 1, width: 10, height: 10, levels: [{ width: 10, height: 10 }] } as RasterInfo
}

/** A session of records and places, and an `open-url` the test answers. */
function urlOpenerWith(refusal: string | null = null) {
  const order = new LayerOrder()
  const records = new LayerRecords()
  const added: Array<{ rasterId: string; index: number; origin: File | string | null }> = []
  const failed: number[] = []
  const messages: Array<{ title: string; message: string }> = []
  const remembered: string[] = []
  const calls: Array<{ url: string; resolve: (o: OpenedRaster) => void; reject: (e: Error) => void }> = []
  const openingSeen: string[][] = []
  const opener: UrlOpener = new UrlOpener({
    openUrl: (url) => new Promise((resolve, reject) => calls.push({ url, resolve, reject })),
    connection: { refusal: () => refusal },
    messages: { show: (title, message) => messages.push({ title, message }) },
    mark: () => undefined,
    target: {
      beginBatch: (size) => order.begin(size),
      failInBatch: (batch: OpenBatch, index) => {
        order.fail(batch, index)
        failed.push(index)
      },
      add: (opened, batch, index, origin) => {
        order.place(batch ?? order.begin(1), index, opened.rasterId)
        const record = records.ensure(opened.rasterId, opened.info.name)
        if (typeof origin === 'string') record.url = origin
        added.push({ rasterId: opened.rasterId, index, origin })
      },
      isWaitingForPixels: () => false
    },
    opened: (url) => remembered.push(url),
    openingChanged: () => openingSeen.push(opener.openingNames())
  })
  return { opener, records, added, failed, messages, remembered, calls, openingSeen }
}

const flush = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0))

describe('UrlOpener', () => {
  it('asks the host for each URL, the top one first, and adds each in its place with its URL', async () => {
    const { opener, added, calls, records, remembered, openingSeen } = urlOpenerWith()
    const done = opener.open(['http://h/a.tif', 'http://h/b%20c.tif'])
    await flush()
    expect(calls.map((c) => c.url)).toEqual(['http://h/b%20c.tif', 'http://h/a.tif'])
    expect(opener.openingNames().sort()).toEqual(['a.tif', 'b c.tif'])
    calls[1]!.resolve({ rasterId: 'ra', info: info('a.tif') })
    calls[0]!.resolve({ rasterId: 'rb', info: info('b c.tif') })
    await done
    expect(added).toEqual([
      { rasterId: 'ra', index: 0, origin: 'http://h/a.tif' },
      { rasterId: 'rb', index: 1, origin: 'http://h/b%20c.tif' }
    ])
    expect(records.withUrls()).toEqual([
      { rasterId: 'ra', url: 'http://h/a.tif' },
      { rasterId: 'rb', url: 'http://h/b%20c.tif' }
    ])
    expect(remembered.sort()).toEqual(['http://h/a.tif', 'http://h/b%20c.tif'])
    expect(opener.openingNames()).toEqual([])
    expect(openingSeen.at(-1)).toEqual([])
  })

  it('says a failure as "Cannot open <url>", gives up its place, remembers nothing, and the next URL still opens', async () => {
    const { opener, added, failed, calls, messages, remembered } = urlOpenerWith()
    const first = opener.open(['http://h/missing.tif'])
    await flush()
    calls[0]!.reject(new Error('Cannot open http://h/missing.tif: HTTP 404 Not Found'))
    await first
    expect(failed).toEqual([0])
    expect(messages).toEqual([{ title: 'Cannot open http://h/missing.tif', message: 'Cannot open http://h/missing.tif: HTTP 404 Not Found' }])
    expect(remembered).toEqual([])
    const second = opener.open(['http://h/dem.tif'])
    await flush()
    calls[1]!.resolve({ rasterId: 'r2', info: info('dem.tif') })
    await second
    expect(added.map((a) => a.rasterId)).toEqual(['r2'])
  })

  it('refuses URLs while disconnected, naming them, without asking the host', async () => {
    const { opener, calls, messages } = urlOpenerWith('the connection to the Tessera host is lost; drop them again once it is back')
    await opener.open(['http://h/a.tif'])
    expect(calls).toEqual([])
    expect(messages[0]?.title).toBe('Could not open http://h/a.tif')
  })
})
