/**
 * A small HTTP proxy in front of a server (nginx in the tests), with faults injected per request:
 * latency, a connection reset mid-body, an error status, Range ignored, a gzipped ranged answer,
 * a stall mid-body, a truncated body, or an answer of the test's own (a redirect). It counts the
 * requests, the bytes sent, the requests at once, and the ones the client left before their end.
 */
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import { gzipSync } from 'node:zlib'

export interface Fault {
  /** Wait this long before forwarding. */
  latencyMs?: number
  /** Answer this status (with `headers`) instead of forwarding: 503, 429, 404… */
  status?: number
  headers?: Record<string, string>
  /** Forward without the Range header: the server answers 200 with the whole file. */
  ignoreRange?: boolean
  /** Headers of the server's answer left out (`etag`…), lower case. */
  dropHeaders?: string[]
  /** Gzip the server's body (a ranged answer included), with Content-Encoding: gzip. */
  gzip?: boolean
  /** Reset the connection (TCP RST) after this many body bytes. */
  resetAfterBytes?: number
  /** Close the connection (FIN) after this many body bytes, though Content-Length says more. */
  truncateAfterBytes?: number
  /** Stop sending after this many body bytes, connection left open. */
  stallAfterBytes?: number
  /** Answer the request itself (a redirect…); return false to forward it. */
  respond?: (request: IncomingMessage, response: ServerResponse) => boolean
}

/** One request as the proxy saw it. */
export interface ProxiedRequest {
  method: string
  url: string
  range: string
  status: number
  /** Body bytes sent to the client. */
  bytes: number
  /** True when the client closed before the answer was complete. */
  clientClosedEarly: boolean
  fault: Fault | null
}

export interface FaultProxy {
  port: number
  url: (path: string) => string
  /** Faults for the next requests, one each, in order (then `always`). */
  queueFaults: (...faults: Fault[]) => void
  /** A fault for every request with no queued one; null for none. */
  always: Fault | null
  /** Faults per path, checked before the queue: a request whose URL starts with the key gets it. */
  byPath: Map<string, Fault>
  requests: ProxiedRequest[]
  /** Most requests in progress at once. */
  peakConcurrent: () => number
  /** Requests in progress now. */
  active: () => number
  /** Resolves when no request is in progress (the client closed or the answer ended). */
  idle: (timeoutMs?: number) => Promise<void>
  reset: () => void
  close: () => Promise<void>
}

/**
 * Starts a proxy forwarding to `127.0.0.1:upstreamPort`, on a free loopback port or on `port` (a
 * server coming back where it was: the port of a proxy closed before).
 */
export async function startFaultProxy(upstreamPort: number, port = 0): Promise<FaultProxy> {
  const queue: Fault[] = []
  const requests: ProxiedRequest[] = []
  const sockets = new Set<Socket>()
  const timers = new Set<NodeJS.Timeout>()
  let active = 0
  let peak = 0
  const proxy: FaultProxy = {
    port: 0,
    url: (path) => `http://127.0.0.1:${proxy.port}${path.startsWith('/') ? '' : '/'}${path}`,
    queueFaults: (...faults) => queue.push(...faults),
    always: null,
    byPath: new Map(),
    requests,
    peakConcurrent: () => peak,
    active: () => active,
    idle: async (timeoutMs = 5000) => {
      const deadline = Date.now() + timeoutMs
      while (active > 0) {
        if (Date.now() > deadline) throw new Error(`the proxy still had ${active} requests in progress after ${timeoutMs} ms`)
        await new Promise((r) => setTimeout(r, 10))
      }
    },
    reset: () => {
      queue.length = 0
      requests.length = 0
      proxy.always = null
      proxy.byPath.clear()
      peak = active
    },
    close: async () => {
      for (const timer of timers) clearTimeout(timer)
      for (const socket of sockets) socket.destroy()
      await new Promise((resolve) => server.close(resolve))
    }
  }
  const later = (ms: number, run: () => void): void => {
    const timer = setTimeout(() => {
      timers.delete(timer)
      run()
    }, ms)
    timers.add(timer)
  }

  const server = createServer((request, response) => {
    const pathFault = [...proxy.byPath].find(([prefix]) => (request.url ?? '').startsWith(prefix))?.[1]
    const fault = pathFault ?? queue.shift() ?? proxy.always
    const record: ProxiedRequest = {
      method: request.method ?? 'GET',
      url: request.url ?? '/',
      range: String(request.headers.range ?? ''),
      status: 0,
      bytes: 0,
      clientClosedEarly: false,
      fault
    }
    requests.push(record)
    active++
    peak = Math.max(peak, active)
    let ended = false
    const socket = request.socket
    const end = (): void => {
      if (ended) return
      ended = true
      active--
      socket.off('close', closedEarly)
    }
    const closedEarly = (): void => {
      if (!response.writableFinished) record.clientClosedEarly = true
      end()
    }
    response.once('finish', end)
    response.once('close', closedEarly)
    // A pipelined request's answer waits its turn unattached to the socket: Node emits no 'close' on
    // it when the client closes the connection, so the socket's own 'close' ends it.
    socket.once('close', closedEarly)
    const go = (): void => {
      if (response.destroyed || ended) return
      if (fault?.respond?.(request, response)) {
        record.status = response.statusCode
        return
      }
      if (fault?.status) {
        const body = Buffer.from(`<html><body>Fault ${fault.status}</body></html>`)
        record.status = fault.status
        record.bytes = body.length
        response.writeHead(fault.status, { 'Content-Type': 'text/html', 'Content-Length': body.length, ...fault.headers })
        response.end(body)
        return
      }
      forward(request, response, fault, record)
    }
    if (fault?.latencyMs) later(fault.latencyMs, go)
    else go()
  })

  const forward = (request: IncomingMessage, response: ServerResponse, fault: Fault | null, record: ProxiedRequest): void => {
    const headers = { ...request.headers }
    if (fault?.ignoreRange) delete headers.range
    const upstream = httpRequest({ host: '127.0.0.1', port: upstreamPort, method: request.method, path: request.url, headers }, (answer) => {
      record.status = answer.statusCode ?? 0
      const outHeaders = { ...answer.headers }
      for (const name of fault?.dropHeaders ?? []) delete outHeaders[name]
      if (fault?.gzip) {
        const chunks: Buffer[] = []
        answer.on('data', (chunk: Buffer) => chunks.push(chunk))
        answer.on('end', () => {
          const body = gzipSync(Buffer.concat(chunks))
          outHeaders['content-encoding'] = 'gzip'
          outHeaders['content-length'] = String(body.length)
          response.writeHead(answer.statusCode ?? 502, outHeaders)
          record.bytes = body.length
          response.end(body)
        })
        return
      }
      response.writeHead(answer.statusCode ?? 502, outHeaders)
      const cut = fault?.resetAfterBytes ?? fault?.truncateAfterBytes ?? fault?.stallAfterBytes
      answer.on('data', (chunk: Buffer) => {
        if (response.destroyed) return
        if (cut === undefined || record.bytes + chunk.length < cut) {
          record.bytes += chunk.length
          response.write(chunk)
          return
        }
        const part = chunk.subarray(0, cut - record.bytes)
        record.bytes += part.length
        answer.destroy()
        response.write(part, () => {
          const socket = response.socket
          if (!socket) return
          if (fault?.resetAfterBytes !== undefined) later(10, () => socket.resetAndDestroy())
          else if (fault?.truncateAfterBytes !== undefined) later(10, () => socket.destroy())
          // A stall: nothing more is sent; the client's timeout (or close) ends it.
        })
      })
      answer.on('end', () => {
        if (!response.destroyed && (cut === undefined || record.bytes < cut)) response.end()
      })
    })
    upstream.on('error', (error) => {
      if (response.headersSent) response.destroy()
      else {
        response.writeHead(502, { 'Content-Type': 'text/plain' })
        response.end(`proxy: ${error.message}`)
      }
    })
    response.once('close', () => upstream.destroy())
    request.pipe(upstream)
  }

  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  proxy.port = (server.address() as { port: number }).port
  return proxy
}
