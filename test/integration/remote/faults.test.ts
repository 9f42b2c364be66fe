/**
 * Bad servers and bad networks, through the fault proxy in front of nginx (or nginx itself): in
 * each case the caller gets the right bytes or an error naming the URL and the cause, nothing
 * hangs, and the next file still opens. Timeouts are lowered by options so that each case is quick.
 * TESSERA_FAULT_TABLE=1 prints what each case gave and how long it took.
 */
import { copyFileSync, utimesSync, writeFileSync } from 'node:fs'
import { afterAll, describe, expect, it } from 'vitest'
import { RemoteFileChangedError, RemoteReadError, openRemoteFile, type RemoteFile, type RemoteOptions } from '../../../src/main/remote'
import { freePort, signedPath } from '../../helpers/nginx'
import { SIGNING_SECRET, useRemoteServer } from './remoteServer'

const server = useRemoteServer('remote-faults')
const BLOCK = 16 * 1024
const table: string[] = []

async function open(url: string, options: RemoteOptions = {}): Promise<RemoteFile> {
  const file = await openRemoteFile(url, server.opts(options))
  server.opened.push(file)
  return file
}

/** Runs `run`, notes the case's outcome and time for the fault table, and returns its value or error. */
async function timed<T>(name: string, run: () => Promise<T>): Promise<T | Error> {
  const start = performance.now()
  let outcome: T | Error
  try {
    outcome = await run()
  } catch (error) {
    outcome = error as Error
  }
  const ms = (performance.now() - start).toFixed(0)
  table.push(`| ${name} | ${outcome instanceof Error ? `${outcome.name}: ${outcome.message}` : 'right bytes'} | ${ms} ms |`)
  return outcome
}

function same(bytes: Uint8Array | Error, offset: number, length: number): boolean {
  if (bytes instanceof Error) throw bytes
  return Buffer.from(bytes).equals(server.cog().subarray(offset, offset + length))
}

/** After a fault, a file still opens and reads right (nothing else broke). */
async function nextFileStillOpens(): Promise<void> {
  server.proxy().reset()
  const file = await open(server.proxy().url(server.cogName))
  expect(same(await file.read(5 * BLOCK, 1000), 5 * BLOCK, 1000)).toBe(true)
}

afterAll(() => {
  if (process.env.TESSERA_FAULT_TABLE) console.info(['| case | the caller gets | time |', '|---|---|---|', ...table].join('\n'))
})

describe('RemoteFile when the network is slow or breaks', () => {
  for (const latencyMs of [50, 200]) {
    it(`reads the right bytes behind ${latencyMs} ms of latency`, async () => {
      server.proxy().always = { latencyMs }
      const file = await open(server.proxy().url(server.cogName))
      expect(same(await timed(`${latencyMs} ms latency (open + one read)`, () => file.read(30 * BLOCK, 5 * BLOCK)), 30 * BLOCK, 5 * BLOCK)).toBe(true)
    })
  }

  it('retries a connection reset mid-body and returns the right bytes', async () => {
    const file = await open(server.proxy().url(server.cogName))
    server.proxy().reset()
    server.proxy().queueFaults({ resetAfterBytes: 5000 })
    expect(same(await timed('connection reset mid-body', () => file.read(20 * BLOCK, 4 * BLOCK)), 20 * BLOCK, 4 * BLOCK)).toBe(true)
    expect(server.proxy().requests.length).toBe(2)
    await nextFileStillOpens()
  })

  it('retries 503 twice then reads the right bytes (Retry-After heeded)', async () => {
    const file = await open(server.proxy().url(server.cogName))
    server.proxy().reset()
    server.proxy().queueFaults({ status: 503, headers: { 'Retry-After': '0' } }, { status: 503 })
    expect(same(await timed('503 twice, then 206', () => file.read(10 * BLOCK, 2 * BLOCK)), 10 * BLOCK, 2 * BLOCK)).toBe(true)
    expect(server.proxy().requests.map((r) => r.status)).toEqual([503, 503, 206])
  })

  it('gives up after 3 retries of a server that keeps answering 500, naming the URL and the status', async () => {
    const url = server.proxy().url(server.cogName)
    const file = await open(url)
    server.proxy().always = { status: 500 }
    const error = await timed('500 on every try', () => file.read(10 * BLOCK, 10))
    expect(error).toBeInstanceOf(RemoteReadError)
    expect((error as Error).message).toBe(`Cannot read ${url}: HTTP 500 Internal Server Error (after 3 retries)`)
    expect(server.proxy().requests.length).toBe(1 + 4)
    await nextFileStillOpens()
  })

  it('names the URL and the status of a 404 and of a 403', async () => {
    const missing = server.nginx().url('no-such.tif')
    const error404 = await timed('404', () => open(missing))
    expect((error404 as Error).message).toBe(`Cannot read ${missing}: HTTP 404 Not Found`)
    const unsigned = server.nginx().url(`/signed/${server.cogName}`)
    const error403 = await timed('403', () => open(unsigned))
    expect((error403 as Error).message).toBe(`Cannot read ${unsigned}: HTTP 403 Forbidden`)
  })

  it('reads a small file whole when the server ignores Range (nginx max_ranges 0), and says so', async () => {
    const file = await timed('Range ignored, file ≤ limit', () => open(server.nginx().url(`/norange/${server.cogName}`)))
    if (file instanceof Error) throw file
    expect(file.info.wholeBody).toBe(true)
    expect(file.info.size).toBe(server.cog().length)
    expect(same(await file.read(0, server.cog().length), 0, server.cog().length)).toBe(true)
    expect(file.stats().requests).toBe(1)
  })

  it('refuses a file larger than the whole-body limit from a server that ignores Range', async () => {
    const url = server.nginx().url(`/norange/${server.cogName}`)
    const error = await timed('Range ignored, file > limit', () => open(url, { wholeBodyLimit: 100_000 }))
    expect((error as Error).message).toBe(
      `Cannot read ${url}: the server ignores Range requests (HTTP 200 with the whole file) and the file is ${(server.cog().length / 1048576).toFixed(1)} MiB, more than the 100000 bytes Tessera reads whole`
    )
    expect((await server.nginx().waitForAccessLog(1)).map((entry) => entry.status)).toEqual([200])
  })

  it('accepts a 200 with the whole file in the middle of reads, checked against the size', async () => {
    const file = await open(server.proxy().url(server.cogName))
    server.proxy().queueFaults({ ignoreRange: true })
    expect(same(await file.read(40 * BLOCK, 2 * BLOCK), 40 * BLOCK, 2 * BLOCK)).toBe(true)
    expect(server.proxy().requests.at(-1)!.status).toBe(200)
  })

  it('reads a gzipped ranged answer as its decoded bytes, their length checked', async () => {
    const file = await open(server.proxy().url(server.cogName))
    server.proxy().queueFaults({ gzip: true })
    expect(same(await timed('gzip on a ranged answer', () => file.read(12 * BLOCK, 3 * BLOCK)), 12 * BLOCK, 3 * BLOCK)).toBe(true)
    expect(server.proxy().requests.at(-1)!.status).toBe(206)
  })

  it('resolves an expired pre-signed URL again, once, from the URL given (302 to nginx secure_link)', async () => {
    let expires = 0
    let redirects = 0
    server.proxy().byPath.set('/presigned/', {
      respond: (_request, response) => {
        redirects++
        expires = Math.floor(Date.now() / 1000) + 1
        response.writeHead(302, { Location: server.nginx().url(signedPath(`/signed/${server.cogName}`, SIGNING_SECRET, expires)) })
        response.end()
        return true
      }
    })
    const url = server.proxy().url(`/presigned/${server.cogName}`)
    const file = await open(url)
    expect(file.info.resolvedUrl).toContain(`/signed/${server.cogName}?md5=`)
    expect(same(await file.read(20 * BLOCK, 100), 20 * BLOCK, 100)).toBe(true)
    expect(redirects).toBe(1)
    const firstLink = file.info.resolvedUrl
    // nginx's secure_link says expired once its second has passed.
    while (Date.now() < (expires + 1) * 1000 + 50) await new Promise((r) => setTimeout(r, 50))
    expect(same(await timed('302 to a signed URL that expired', () => file.read(30 * BLOCK, 100)), 30 * BLOCK, 100)).toBe(true)
    expect(redirects).toBe(2)
    expect(file.info.resolvedUrl).not.toBe(firstLink)
    const statuses = server.nginx().accessLog().map((entry) => entry.status)
    expect(statuses).toEqual([206, 206, 403, 206])
  })

  it('follows at most 5 redirects', async () => {
    server.proxy().byPath.set('/loop/', {
      respond: (request, response) => {
        const n = Number(/\/loop\/(\d+)/.exec(request.url ?? '')?.[1] ?? 0)
        response.writeHead(302, { Location: `/loop/${n + 1}` })
        response.end()
        return true
      }
    })
    const url = server.proxy().url('/loop/0')
    const error = await timed('redirect loop', () => open(url))
    expect((error as Error).message).toBe(`Cannot read ${url}: more than 5 redirects`)
    expect(server.proxy().requests.length).toBe(6)
  })

  it('refuses a redirect to a file: URL', async () => {
    server.proxy().byPath.set('/to-file', {
      respond: (_request, response) => {
        response.writeHead(302, { Location: 'file:///etc/passwd' })
        response.end()
        return true
      }
    })
    const url = server.proxy().url('/to-file')
    await expect(open(url)).rejects.toThrow(`Cannot read ${url}: the server redirects to a file: URL; Tessera opens only http and https URLs`)
  })

  it('rejects with RemoteFileChangedError once the file is replaced on the server, for good', async () => {
    const name = 'replaced.tif'
    copyFileSync(server.tmp.file(server.cogName), server.tmp.file(name))
    const file = await open(server.nginx().url(name))
    await file.read(10 * BLOCK, 100)
    // Another file in its place: other bytes, another size and date (so another ETag).
    writeFileSync(server.tmp.file(name), server.cog().subarray(0, server.cog().length - 5000))
    utimesSync(server.tmp.file(name), new Date(), new Date(Date.now() + 5000))
    const error = await timed('file replaced while open', () => file.read(50 * BLOCK, 100))
    expect(error).toBeInstanceOf(RemoteFileChangedError)
    expect((error as Error).message).toMatch(new RegExp(`^${server.nginx().url(name).replace(/[.?]/g, '\\$&')} changed on the server \\(version ".+" became ".+"\\)$`))
    // Even the blocks cached before are no longer served.
    await expect(file.read(10 * BLOCK, 100)).rejects.toBeInstanceOf(RemoteFileChangedError)
    expect(file.stats().cacheBytes).toBe(0)
  })

  it('takes an answer without the ETag for the same version when its Last-Modified is the same', async () => {
    const file = await open(server.proxy().url(server.cogName))
    server.proxy().queueFaults({ dropHeaders: ['etag'] })
    expect(same(await file.read(25 * BLOCK, 100), 25 * BLOCK, 100)).toBe(true)
    server.proxy().queueFaults({ dropHeaders: ['etag', 'last-modified'] })
    expect(same(await file.read(27 * BLOCK, 100), 27 * BLOCK, 100)).toBe(true)
  })

  it('reads an HTML page answered 200 without Range whole, as bytes (the open path says it is not a TIFF)', async () => {
    const html = '<!doctype html><html><body>Sign in to continue</body></html>'
    server.proxy().byPath.set('/login', {
      respond: (_request, response) => {
        response.writeHead(200, { 'Content-Type': 'text/html', 'Content-Length': html.length })
        response.end(html)
        return true
      }
    })
    const file = await open(server.proxy().url('/login'))
    expect(file.info).toMatchObject({ wholeBody: true, contentType: 'text/html', size: html.length })
    expect(Buffer.from(await file.read(0, 100)).toString()).toBe(html)
  })

  it('gives a clear error for a truncated body after its retries, without hanging', async () => {
    const url = server.proxy().url(server.cogName)
    const file = await open(url)
    server.proxy().always = { truncateAfterBytes: 3000 }
    const error = await timed('truncated body, every try', () => file.read(20 * BLOCK, 2 * BLOCK))
    expect((error as Error).message).toMatch(
      new RegExp(`^Cannot read ${url.replace(/[.?]/g, '\\$&')}: the body was truncated: the connection closed after 3000 of 32768 bytes \\(after 3 retries\\)$`)
    )
    await nextFileStillOpens()
  })

  it('gives a clear error when the server stalls mid-body', async () => {
    const url = server.proxy().url(server.cogName)
    const file = await open(url, { stallTimeoutMs: 300 })
    server.proxy().always = { stallAfterBytes: 3000 }
    const error = await timed('stall mid-body (stall timeout 0.3 s)', () => file.read(20 * BLOCK, 2 * BLOCK))
    expect((error as Error).message).toBe(`Cannot read ${url}: the server stalled for 0.3 s mid-body (after 3000 of 32768 bytes)`)
    await server.proxy().idle()
    await nextFileStillOpens()
  })

  it('gives a clear error when no answer comes within the first-byte timeout', async () => {
    const url = server.proxy().url(server.cogName)
    server.proxy().always = { latencyMs: 2000 }
    const error = await timed('no answer (first-byte timeout 0.3 s)', () => open(url, { firstByteTimeoutMs: 300 }))
    expect((error as Error).message).toBe(`Cannot read ${url}: no answer from 127.0.0.1:${server.proxy().port} within 0.3 s`)
    await nextFileStillOpens()
  })

  it('refuses a 206 whose Content-Range is not the range asked', async () => {
    server.proxy().byPath.set('/wrong-range', {
      respond: (_request, response) => {
        response.writeHead(206, { 'Content-Range': 'bytes 100-16483/50000', 'Content-Length': 16384 })
        response.end(Buffer.alloc(16384))
        return true
      }
    })
    const url = server.proxy().url('/wrong-range')
    const error = await timed('206 of another range', () => open(url))
    expect((error as Error).message).toBe(`Cannot read ${url}: the server answered bytes 100-16483 for bytes 0-16383`)
  })

  it('names a host that does not resolve', async () => {
    const error = await timed('DNS failure', () => open('http://nonexistent.invalid/dem.tif'))
    expect((error as Error).message).toMatch(/^Cannot read http:\/\/nonexistent\.invalid\/dem\.tif: cannot resolve host nonexistent\.invalid \((ENOTFOUND|EAI_AGAIN)\)$/)
  })

  it('names a TLS error (https to a plain-HTTP port)', async () => {
    const url = `https://127.0.0.1:${server.nginx().port}/${server.cogName}`
    const error = await timed('TLS error', () => open(url))
    expect((error as Error).message).toMatch(new RegExp(`^Cannot read ${url.replace(/[.?]/g, '\\$&')}: TLS error with 127\\.0\\.0\\.1:${server.nginx().port} \\(ERR_SSL_`))
  })

  it('names a refused connection', async () => {
    const url = `http://127.0.0.1:${await freePort()}/dem.tif`
    const error = await timed('connection refused', () => open(url))
    expect((error as Error).message).toBe(`Cannot read ${url}: connection refused by ${new URL(url).host}`)
  })

  it('opens only http and https URLs, with no credentials in them', async () => {
    for (const url of ['file:///etc/passwd', 'data:image/tiff;base64,SUkqAA==', 'ftp://example.org/dem.tif']) {
      await expect(open(url)).rejects.toThrow(`Tessera opens only http and https URLs, not ${url.split(':')[0]}: (${url})`)
    }
    await expect(open('http://user:secret@127.0.0.1/dem.tif')).rejects.toThrow('Tessera sends no credentials: remove the user name and password from http://…@127.0.0.1/dem.tif')
    expect(server.proxy().requests.length).toBe(0)
  })
})
