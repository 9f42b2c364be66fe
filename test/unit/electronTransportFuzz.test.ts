/**
 * Hostile messages through the Electron transport (issue 7): fast-check fuzzes what a page can put
 * on each IPC channel (call, notify, connect, open-dialog), which frame it claims to be, what it
 * posts back on its MessagePort, and a burst of 100,000 tile requests. The transport answers with
 * errors, never throws out of a listener, keeps at most one live service per page, and its
 * service's queue stays under the per-page cap. Electron's objects are stubbed at the edge, as in
 * electronTransport.test.ts (test/helpers/electronStub.ts); the raster is a stub at the opener's
 * edge (a huge grid whose tiles come back after a short wait, serviceFixtures.ts `slowStubRaster`),
 * as in hostileMessages.test.ts, so that requests pile up.
 */
import { MessageChannel, type MessagePort } from 'node:worker_threads'
import fc from 'fast-check'
import { afterEach, describe, expect, it } from 'vitest'
import { IPC } from '../../src/shared/ipcChannels'
import type { ServerMessage } from '../../src/shared/protocol'
import { callIdOf } from '../../src/shared/validate'
import { TextureService } from '../../src/main/service/TextureService'
import { ElectronTransport } from '../../src/main/transport/electronIpc'
import { appIndex, FakeContents, FakeIpcMain, senderEvent as from, trusted } from '../helpers/electronStub'
import { collector } from '../helpers/gc'
import { anyValueOf, ERROR_CODES, EXPECTED_PATTERN, isAnsweredCall, isWellFormed, nearTileMessage, owedError } from '../helpers/hostileMessages'
import { slowStubRaster } from '../helpers/serviceFixtures'

const HUGE = '/data/huge.tif'
const SIDE = 1 << 24 // 65536 × 65536 tiles at level 0
/** The per-page cap of the services made here (TextureService's maxPending). */
const CAP = 2_000

/** Lets timers and ports run (aborted loads settle, destroyed pages close). */
const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 20))

/**
 * Resolves once the page has heard everything main posted on its port so far: after the service's
 * pending promise callbacks have run, a marker goes down the same port (which keeps order).
 */
let flushes = 0
async function flush(rig: Rig, page: FakeContents): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve))
  const n = ++flushes
  rig.mainEndOf.get(page.port!)!.postMessage({ type: 'test-flush', n })
  const isMarker = (d: unknown): boolean => (d as { type?: unknown; n?: unknown } | null)?.type === 'test-flush' && (d as { n: unknown }).n === n
  await page.until(() => page.received.some(isMarker))
  page.received.splice(page.received.findIndex(isMarker), 1) // a structured clone of the marker, not the object posted
}

interface Rig {
  ipcMain: FakeIpcMain
  transport: ElectronTransport
  services: TextureService[]
  opened: string[]
  /** Main's end of each port handed to a page, by the page's end. */
  mainEndOf: WeakMap<MessagePort, MessagePort>
}

const rigs: Rig[] = []
afterEach(async () => {
  for (const rig of rigs.splice(0)) {
    await rig.transport.dispose()
    await Promise.all(rig.services.map((s) => s.close()))
  }
})

function makeRig(): Rig {
  const ipcMain = new FakeIpcMain()
  const services: TextureService[] = []
  const opened: string[] = []
  const mainEndOf = new WeakMap<MessagePort, MessagePort>()
  const transport = new ElectronTransport({
    ipcMain,
    trusted,
    createChannel: () => {
      const channel = new MessageChannel()
      mainEndOf.set(channel.port2, channel.port1)
      return channel
    },
    createService: (sink) => {
      const service = new TextureService({
        sink,
        openRaster: async (path) => {
          opened.push(path)
          if (path !== HUGE) throw new Error(`Could not open ${path}: no such file`)
          return slowStubRaster(SIDE, 2)
        },
        maxWorkers: 2,
        mayOpenPath: (path) => path === HUGE,
        maxPending: CAP
      })
      services.push(service)
      return service
    },
    showOpenDialog: async () => [HUGE]
  })
  const rig: Rig = { ipcMain, transport, services, opened, mainEndOf }
  rigs.push(rig)
  return rig
}

/** A connected page with the huge raster open; resolves with its raster id. */
async function connectWithRaster(rig: Rig, page: FakeContents): Promise<string> {
  await rig.ipcMain.invoke(from(page), IPC.connect)
  const reply = (await rig.ipcMain.invoke(from(page), IPC.call, { type: 'open', id: 1, path: HUGE })) as ServerMessage
  if (reply.type !== 'reply') throw new Error(`open failed: ${JSON.stringify(reply)}`)
  return (reply.result as { rasterId: string }).rasterId
}

const live = (rig: Rig): TextureService[] => rig.services.filter((s) => !s.isClosed)

/** Values of every type and shape, short and long (structured-clone safe, as Electron's IPC carries). */
const anyValue = anyValueOf({ withUndefined: true })

/** Messages that look almost right: known and unknown types, fields of the wrong type, range or size. */
function hostileMessage(rasterId: string): fc.Arbitrary<unknown> {
  const coordinate = fc.oneof(fc.integer({ min: -(2 ** 33), max: 2 ** 33 }), fc.constantFrom(-1, 0.5, NaN, Infinity, 2 ** 31, 2 ** 31 + 1, 2 ** 53), anyValue)
  const ids = fc.oneof(fc.constant(rasterId), fc.string({ maxLength: 200 }), fc.constant('r999'), fc.constant(`${rasterId}/0/0/0`), anyValue)
  const callTypes = fc.constantFrom('open', 'upload-begin', 'upload-end', 'close', 'stats', 'configure', 'nope', 'reply', '__proto__', 'constructor')
  return fc.oneof(
    anyValue,
    nearTileMessage(coordinate, ids, anyValue),
    fc.record(
      { type: fc.oneof(callTypes, anyValue), id: fc.oneof(fc.nat(), anyValue), path: fc.oneof(fc.string(), fc.constant(HUGE), anyValue), name: anyValue, size: fc.oneof(fc.integer(), anyValue), uploadId: anyValue, rasterId: ids, scheduling: fc.oneof(fc.constant('priority'), anyValue) },
      { requiredKeys: [] }
    )
  )
}

/** Sender frame URLs that are not the app's page: other schemes, other files, malformed escapes, junk. */
const foreignUrl = fc.oneof(
  fc.webUrl({ withQueryParameters: true, withFragments: true }),
  fc.string({ maxLength: 200 }),
  fc
    .array(fc.oneof(fc.constantFrom('%', '%Z', '%ZZ', '%E0%A4%A', '%C3', '%00', '..', '.', '%2e%2e', 'index.html', 'renderer', 'é', ' '), fc.string({ maxLength: 8 })), { minLength: 1, maxLength: 8 })
    .map((segments) => `file:///x/${segments.join('/')}`),
  fc.constantFrom(
    `file://evil.example${appIndex}`,
    `file:/${appIndex}`, // host "opt"
    `${trusted.fileUrl}/../../../../../../tmp/evil.html`,
    `${trusted.fileUrl.replace('index.html', 'index.htm')}`,
    `${trusted.fileUrl.replace('index.html', '%ZZindex.html')}`,
    `http://localhost${appIndex}`,
    'about:blank',
    'data:text/html,<script>1</script>',
    'devtools://devtools/bundled/inspector.html',
    'chrome-extension://abc/index.html'
  )
)

describe('ElectronTransport under hostile messages', () => {
  it('answers any call argument from the page with one reply for its id or an error on the port, and never rejects', async () => {
    const rig = makeRig()
    const page = new FakeContents()
    const rasterId = await connectWithRaster(rig, page)
    await fc.assert(
      fc.asyncProperty(hostileMessage(rasterId), fc.array(anyValue, { maxLength: 2 }), async (message, extraArgs) => {
        // A fuzzed `close` may have closed the raster: later messages for it owe 'unknown-raster'.
        const open = new Set(rig.services.at(-1)!.rasterIds())
        const errorsBefore = page.errors().length
        const reply = (await rig.ipcMain.invoke(from(page), IPC.call, message, ...extraArgs)) as ServerMessage | null
        if (isAnsweredCall(message)) {
          expect(reply).toMatchObject({ id: callIdOf(message) })
          expect(['reply', 'reply-error']).toContain(reply!.type)
          if (reply!.type === 'reply-error') {
            expect(ERROR_CODES).toContain(reply!.error.code)
            if (reply!.error.code === 'bad-message') expect(reply!.error.message).toMatch(EXPECTED_PATTERN)
            else expect(reply!.error.message.length).toBeGreaterThan(10)
          }
        } else {
          expect(reply).toBeNull()
          const owed = owedError(message, open)
          await flush(rig, page)
          const heard = page.errors().slice(errorsBefore)
          expect(heard.map((e) => e.error.code)).toEqual(owed ? [owed] : [])
          if (owed === 'bad-message') expect(heard[0]!.error.message).toMatch(EXPECTED_PATTERN)
        }
      }),
      { numRuns: 300, seed: 701 }
    )
    expect(rig.opened.every((path) => path === HUGE)).toBe(true) // nothing but the allowed path was opened
    expect(live(rig)).toHaveLength(1)
    expect(await rig.ipcMain.invoke(from(page), IPC.call, { type: 'stats', id: 9 })).toMatchObject({ type: 'reply', id: 9 })
  })

  it('routes any notification argument to an error event on the port, and never throws out of the listener', async () => {
    const rig = makeRig()
    const page = new FakeContents()
    const rasterId = await connectWithRaster(rig, page)
    await fc.assert(
      fc.asyncProperty(hostileMessage(rasterId), fc.array(anyValue, { maxLength: 2 }), async (message, extraArgs) => {
        const open = new Set(rig.services.at(-1)!.rasterIds())
        const errorsBefore = page.errors().length
        expect(() => rig.ipcMain.send(from(page), IPC.notify, message, ...extraArgs)).not.toThrow()
        await flush(rig, page)
        const heard = page.errors().slice(errorsBefore)
        if (isAnsweredCall(message) && !isWellFormed(message)) {
          // A malformed call on the notify channel has nobody awaiting its reply: the error must come as an event.
          expect(heard.map((e) => e.error.code)).toEqual(['bad-message'])
        } else if (isAnsweredCall(message)) {
          // A well-formed call on the wrong channel is served; what it refuses (a path, a raster) is heard once.
          expect(heard.length).toBeLessThanOrEqual(1)
        } else {
          const owed = owedError(message, open)
          expect(heard.map((e) => e.error.code).filter((code) => code !== 'overloaded')).toEqual(owed ? [owed] : [])
        }
        if (heard[0]?.error.code === 'bad-message') expect(heard[0].error.message).toMatch(EXPECTED_PATTERN)
      }),
      { numRuns: 200, seed: 702 }
    )
    expect(live(rig)).toHaveLength(1)
    expect(rig.services.at(-1)!.stats().pending).toBeLessThanOrEqual(CAP)
  })

  it('refuses every channel to any frame that is not the app page, naming the channel and the frame, and never serves it', async () => {
    const rig = makeRig()
    const page = new FakeContents()
    await fc.assert(
      fc.asyncProperty(fc.oneof(foreignUrl, fc.constant(null)), anyValue, async (url, message) => {
        const where = url === null ? 'a destroyed frame' : url
        for (const channel of [IPC.connect, IPC.call, IPC.openDialog]) {
          const refused = rig.ipcMain.invoke(from(page, url), channel, message)
          await expect(refused).rejects.toThrow(`Refused ${channel} from ${where}: only the Tessera page may call the main process`)
        }
        const warn = console.warn
        console.warn = () => undefined // each refused notification is logged; thousands would drown the report
        try {
          expect(() => rig.ipcMain.send(from(page, url), IPC.notify, message)).not.toThrow()
        } finally {
          console.warn = warn
        }
      }),
      { numRuns: 300, seed: 703 }
    )
    expect(rig.services).toHaveLength(0)
    expect(page.portsReceived).toBe(0)
    expect(rig.transport.pageCount).toBe(0)
    expect(rig.opened).toEqual([])
  })

  it("trusts the app page whatever query or hash it carries", async () => {
    const rig = makeRig()
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 40 }), fc.string({ maxLength: 40 }), async (query, hash) => {
        const page = new FakeContents()
        await rig.ipcMain.invoke(from(page, `${trusted.fileUrl}?${encodeURIComponent(query)}#${encodeURIComponent(hash)}`), IPC.connect)
        expect(page.portsReceived).toBe(1)
        page.destroy()
      }),
      { numRuns: 50, seed: 704 }
    )
    await settle()
    expect(rig.transport.pageCount).toBe(0)
    expect(live(rig)).toEqual([])
  })

  it('refuses calls from a trusted page that has not connected, saying what to do', async () => {
    const rig = makeRig()
    await fc.assert(
      fc.asyncProperty(anyValue, async (message) => {
        await expect(rig.ipcMain.invoke(from(new FakeContents()), IPC.call, message)).rejects.toThrow(
          `Refused ${IPC.call}: the page has not connected (call tessera.connect() first)`
        )
      }),
      { numRuns: 100, seed: 705 }
    )
    expect(rig.services).toHaveLength(0)
  })

  it('keeps at most one live service per page through any storm of connects, calls and destroys, and closes the rest', async () => {
    type Step = { page: number; action: 'connect' | 'connect-awaited' | 'call' | 'notify' | 'destroy' }
    const step = fc.record({ page: fc.nat(2), action: fc.constantFrom<Step['action']>('connect', 'connect', 'connect-awaited', 'call', 'notify', 'destroy') })
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 30 }), async (steps) => {
        const rig = makeRig()
        const pages = [new FakeContents(), new FakeContents(), new FakeContents()]
        const destroyed = new Set<number>()
        const connected = new Set<number>()
        const inFlight: Array<Promise<unknown>> = []
        for (const { page: index, action } of steps) {
          const page = pages[index]!
          if (destroyed.has(index)) continue // a destroyed webContents sends nothing more
          if (action === 'connect' || action === 'connect-awaited') {
            // A page that does not wait for its connect before connecting again (a reload storm).
            const connecting = rig.ipcMain.invoke(from(page), IPC.connect)
            connected.add(index)
            if (action === 'connect-awaited') await connecting
            else inFlight.push(connecting)
          } else if (action === 'call') {
            inFlight.push(rig.ipcMain.invoke(from(page), IPC.call, { type: 'open', id: 1, path: HUGE }).catch(() => undefined))
          } else if (action === 'notify') {
            rig.ipcMain.send(from(page), IPC.notify, { type: 'request', rasterId: 'r1', tiles: [{ level: 0, col: 0, row: 0, priority: 1 }] })
          } else {
            page.destroy()
            destroyed.add(index)
          }
        }
        await Promise.allSettled(inFlight)
        await settle()
        const expectedPages = [...connected].filter((i) => !destroyed.has(i)).length
        expect(rig.transport.pageCount).toBe(expectedPages)
        expect(live(rig)).toHaveLength(expectedPages)
        await rig.transport.dispose()
        expect(live(rig)).toEqual([])
      }),
      { numRuns: 60, seed: 706 }
    )
  })

  it('bounds a burst of 100,000 tile requests by the per-page cap, reports the overload on the port, and returns to idle', async () => {
    const rig = makeRig()
    const page = new FakeContents()
    const rasterId = await connectWithRaster(rig, page)
    const service = live(rig)[0]!
    let highest = 0
    for (let i = 0; i < 100_000; i++) {
      rig.ipcMain.send(from(page), IPC.notify, { type: 'request', rasterId, tiles: [{ level: 0, col: i % 65536, row: Math.floor(i / 65536), priority: 1 + (i % 3), rank: i }] })
      const { pending, active } = service.stats()
      highest = Math.max(highest, pending + active)
    }
    expect(highest).toBeGreaterThan(CAP / 2) // the burst did fill the queue…
    expect(highest).toBeLessThanOrEqual(CAP) // …and never past its cap
    await page.until(() => page.errors().some((e) => e.error.code === 'overloaded'))
    expect(page.errors().find((e) => e.error.code === 'overloaded')!.error.message).toMatch(new RegExp(`dropped: more than ${CAP} pending`))
    rig.ipcMain.send(from(page), IPC.notify, { type: 'cancel-obsolete', rasterId, keep: [] })
    expect(service.stats().pending).toBe(0)
    while (service.stats().active > 0) await settle()
    page.destroy()
    await settle()
    expect(service.isClosed).toBe(true)
    expect(service.stats()).toMatchObject({ pending: 0, active: 0 })
    expect(rig.transport.pageCount).toBe(0)
  })

  it('ignores whatever the page posts on its port (the port carries events out, nothing in)', async () => {
    const rig = makeRig()
    const page = new FakeContents()
    await connectWithRaster(rig, page)
    const before = page.received.length
    const values = fc.sample(fc.oneof(fc.jsonValue(), fc.uint8Array({ maxLength: 64 })), { numRuns: 2_000, seed: 707 })
    for (const value of values) page.port!.postMessage(value)
    page.port!.postMessage({ type: 'open', id: 5, path: HUGE })
    await settle()
    await flush(rig, page)
    expect(page.received.length).toBe(before) // no reply, no echo, no error: main does not read the port
    expect(rig.opened).toEqual([HUGE]) // the open posted on the port did not run
    expect(await rig.ipcMain.invoke(from(page), IPC.call, { type: 'stats', id: 2 })).toMatchObject({ type: 'reply', result: { openRasters: 1 } })
  })

  it('does not grow the heap across rounds of hostile pages', async () => {
    const gc = collector()
    const MB = 1024 * 1024
    const rig = makeRig()
    const hostile = fc.sample(hostileMessage('r1'), { numRuns: 300, seed: 708 })
    const round = async (): Promise<void> => {
      const page = new FakeContents()
      const rasterId = await connectWithRaster(rig, page)
      for (const message of hostile) {
        rig.ipcMain.send(from(page), IPC.notify, message)
        await rig.ipcMain.invoke(from(page), IPC.call, message)
      }
      for (let i = 0; i < 20_000; i++) {
        rig.ipcMain.send(from(page), IPC.notify, { type: 'request', rasterId, tiles: [{ level: 1, col: i % 32768, row: Math.floor(i / 32768), priority: 2, rank: i }] })
      }
      await rig.ipcMain.invoke(from(page), IPC.connect) // a reload: the old service must go
      await settle()
      page.destroy()
      await settle()
      expect(live(rig)).toEqual([])
      rig.services.length = 0 // the test lets go of the closed services: only the transport could keep them now
    }
    const heap = (): number => {
      gc()
      return process.memoryUsage().heapUsed
    }
    await round()
    await round()
    const baseline = heap()
    for (let i = 0; i < 4; i++) await round()
    const growth = heap() - baseline
    expect(live(rig)).toEqual([])
    expect(rig.transport.pageCount).toBe(0)
    // A leaked service keeps its ~2,000 queued requests and their closures: several MB a round.
    expect(growth).toBeLessThan(8 * MB)
  })
})
