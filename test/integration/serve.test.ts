/**
 * `npm run serve` end to end as a person runs it: scripts/serve.mjs (builds when stale), one line
 * on stdout with the URL, the renderer over HTTP, the service over `/ws`, a clean exit on SIGTERM.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, readdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { SERVE_LINE_PATTERN } from '../../src/main/host/serveHost'
import { encodeUploadFrame } from '../../src/shared/uploadFrame'
import type { ServerMessage } from '../../src/shared/protocol'
import { makeServiceFixtures, type ServiceFixtures } from '../helpers/serviceFixtures'

const root = resolve(__dirname, '../..')
let fixtures: ServiceFixtures
let tmp: string
let child: ChildProcess
let stdout = ''
let match: RegExpExecArray

function startServe(args: string[]): ChildProcess {
  return spawn(process.execPath, [join(root, 'scripts/serve.mjs'), ...args], {
    cwd: root,
    env: { ...process.env, TMPDIR: tmp },
    stdio: ['ignore', 'pipe', 'pipe']
  })
}

function exitOf(proc: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => (proc.exitCode !== null ? resolve(proc.exitCode) : proc.once('exit', (code) => resolve(code))))
}

beforeAll(async () => {
  fixtures = await makeServiceFixtures()
  tmp = join(fixtures.dir, 'tmp')
  mkdirSync(tmp)
  child = startServe(['--port', '0', fixtures.png])
  child.stderr!.on('data', () => undefined)
  match = await new Promise<RegExpExecArray>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
      const m = SERVE_LINE_PATTERN.exec(stdout)
      if (m) resolve(m)
    })
    child.once('exit', (code) => reject(new Error(`serve exited with ${code} before printing its URL`)))
  })
}, 240_000)

afterAll(async () => {
  if (child && child.exitCode === null) {
    child.kill('SIGTERM')
    await exitOf(child)
  }
  fixtures?.remove()
})

describe('npm run serve', () => {
  it('prints one line with the URL, bound to 127.0.0.1, with a session token', () => {
    expect(stdout.trim().split('\n')).toHaveLength(1)
    const url = new URL(match[1]!)
    expect(url.hostname).toBe('127.0.0.1')
    expect(url.searchParams.get('token')).toMatch(/^[A-Za-z0-9_-]{20,}$/)
  })

  it('serves the built renderer with a Content-Security-Policy header', async () => {
    const response = await fetch(match[1]!)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'")
    expect(await response.text()).toContain('<title>Tessera</title>')
  })

  it('opens the command-line files for a connection with the token, and accepts uploads', async () => {
    const url = new URL(match[1]!)
    const socket = new WebSocket(`ws://${url.host}/ws?token=${url.searchParams.get('token')}`, { origin: url.origin })
    const messages: ServerMessage[] = []
    const next = (predicate: (m: ServerMessage) => boolean): Promise<ServerMessage> =>
      new Promise((resolve) => {
        const found = messages.find(predicate)
        if (found) return resolve(found)
        const onMessage = (): void => {
          const hit = messages.find(predicate)
          if (hit) {
            socket.off('message', onMessage)
            resolve(hit)
          }
        }
        socket.on('message', onMessage)
      })
    socket.on('message', (data: Buffer, isBinary: boolean) => {
      if (!isBinary) messages.push(JSON.parse(data.toString()) as ServerMessage)
    })
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject))
    expect(await next((m) => m.type === 'raster-opened')).toMatchObject({ info: { name: 'image.png', width: 2048 } })

    socket.send(JSON.stringify({ type: 'upload-begin', id: 1, name: 'a.bin', size: 4 }))
    const begun = (await next((m) => m.type === 'reply' && m.id === 1)) as Extract<ServerMessage, { type: 'reply' }>
    socket.send(encodeUploadFrame((begun.result as { uploadId: string }).uploadId, 0, new Uint8Array([1, 2, 3])))
    expect(readdirSync(tmp).filter((n) => n.startsWith('tessera-uploads-'))).toHaveLength(1)
    socket.close()
  })

  it('shuts down cleanly on SIGTERM and removes its uploads', async () => {
    child.kill('SIGTERM')
    expect(await exitOf(child)).toBe(0)
    expect(readdirSync(tmp).filter((n) => n.startsWith('tessera-uploads-'))).toEqual([])
  })

  it('refuses an unknown option with a usage message and exit code 2', async () => {
    const bad = startServe(['--frobnicate'])
    let stderr = ''
    bad.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    expect(await exitOf(bad)).toBe(2)
    expect(stderr).toContain('Expected --port, --host, --allow-paths or a file for option but received "--frobnicate" of type string')
  })
})
