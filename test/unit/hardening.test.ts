/**
 * Hardening asserted (issue 7): the window's webPreferences and guards, the renderer's CSP (source
 * and built), a sender check on every IPC handler main registers, and the serve host on loopback.
 */
import { existsSync, readFileSync } from 'node:fs'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'
import { ElectronTransport, type IpcEventLike, type IpcMainLike } from '../../src/main/transport/electronIpc'
import { guardWebContents, secureWebPreferences } from '../../src/main/host/windowSecurity'
import { readRendererCsp } from '../../src/main/host/staticFiles'
import { startServeHost } from '../../src/main/host/serveHost'

const root = new URL('../..', import.meta.url).pathname

function directives(csp: string): Map<string, string[]> {
  return new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).filter((p) => p[0]).map(([name, ...values]) => [name!, values]))
}

describe('window hardening', () => {
  it('isolates and sandboxes the renderer, without Node or webviews', () => {
    expect(secureWebPreferences('/p.cjs')).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, nodeIntegrationInWorker: false, webviewTag: false, webSecurity: true, allowRunningInsecureContent: false })
  })

  it('denies navigation away from the app page, new windows and webviews', () => {
    const listeners = new Map<string, (event: { preventDefault(): void }, url?: string) => void>()
    let openHandler: ((details: { url: string }) => { action: string }) | null = null
    const trusted = { fileUrl: pathToFileURL('/opt/Tessera/out/renderer/index.html').href }
    guardWebContents({ on: (event: string, l: (e: { preventDefault(): void }, url?: string) => void) => listeners.set(event, l), setWindowOpenHandler: (h: typeof openHandler) => { openHandler = h } } as never, trusted)
    const prevented = (event: string, url?: string): boolean => {
      let stopped = false
      listeners.get(event)!({ preventDefault: () => { stopped = true } }, url)
      return stopped
    }
    for (const url of ['https://evil.example/', 'file:///etc/passwd', 'file:///opt/Tessera/out/renderer/other.html', 'javascript:alert(1)']) expect(prevented('will-navigate', url)).toBe(true)
    expect(prevented('will-navigate', `${trusted.fileUrl}?x#y`)).toBe(false)
    expect(prevented('will-attach-webview')).toBe(true)
    expect(openHandler!({ url: 'https://evil.example/' })).toEqual({ action: 'deny' })
    expect(openHandler!({ url: trusted.fileUrl })).toEqual({ action: 'deny' })
  })

  it("the main process uses these for its window and every web contents", () => {
    const main = readFileSync(join(root, 'src/main/index.ts'), 'utf8')
    expect(main).toMatch(/webPreferences:\s*secureWebPreferences\(/)
    expect(main).toMatch(/'web-contents-created'.*guardWebContents\(/)
    expect(main).not.toMatch(/new BrowserWindow\([^)]*webPreferences:\s*\{/)
  })
})

describe('Content-Security-Policy of index.html', () => {
  const files = [join(root, 'src/renderer/index.html'), join(root, 'out/renderer/index.html')].filter((f) => existsSync(f))
  it('allows scripts only from the app itself, no eval, no objects, no foreign connections', () => {
    expect(files.length).toBeGreaterThan(0)
    for (const file of files) {
      const csp = directives(readRendererCsp(file))
      expect(csp.get('default-src')).toEqual(["'self'"])
      expect(csp.get('script-src')).toEqual(["'self'"])
      expect(csp.get('object-src')).toEqual(["'none'"])
      expect(csp.get('base-uri')).toEqual(["'none'"])
      for (const source of csp.get('connect-src') ?? []) expect(source).toMatch(/^('self'|ws:\/\/(127\.0\.0\.1|localhost):\*)$/)
      expect([...csp.values()].flat()).not.toContain("'unsafe-eval'")
    }
  })
})

describe('sender checks', () => {
  it('every handler and listener main registers refuses a sender that is not the app page', async () => {
    const handlers = new Map<string, (event: IpcEventLike, ...args: unknown[]) => unknown>()
    const ipcMain: IpcMainLike = { handle: (c, l) => void handlers.set(c, l), removeHandler: (c) => void handlers.delete(c), on: (c, l) => handlers.set(c, l), removeListener: (c) => handlers.delete(c) }
    let servicesMade = 0
    const transport = new ElectronTransport({
      ipcMain,
      trusted: { fileUrl: pathToFileURL('/opt/Tessera/out/renderer/index.html').href },
      createChannel: () => { throw new Error('no channel for a refused sender') },
      createService: () => { servicesMade++; throw new Error('no service for a refused sender') },
      showOpenDialog: async () => { throw new Error('no dialog for a refused sender') }
    })
    expect(handlers.size).toBeGreaterThanOrEqual(4)
    const sender = { id: 1, postMessage: () => {}, once: () => {} }
    for (const frame of [{ url: 'https://evil.example/' }, { url: 'file:///tmp/evil.html' }, null]) {
      for (const [channel, handler] of handlers) {
        let refused = false
        try {
          await handler({ sender, senderFrame: frame }, { type: 'stats', id: 1 })
        } catch (error) {
          refused = true
          expect((error as Error).message).toContain(`Refused ${channel}`)
        }
        // 'on' listeners cannot throw back to the page: they log and drop instead.
        if (!refused) expect(channel).toBe('tessera:notify')
      }
    }
    expect(servicesMade).toBe(0)
    await transport.dispose()
  })
})

describe('serve host', () => {
  it('binds to loopback by default', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tessera-hardening-'))
    const host = await startServeHost({ rendererDir: dir, openRaster: async () => { throw new Error('unused') } })
    try {
      expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{32}$/)
    } finally {
      await host.close()
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
