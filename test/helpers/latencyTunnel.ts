/**
 * A TCP tunnel that delays every chunk by half a round trip each way: a distant server's latency
 * for any protocol over it (TLS, HTTP/2), where the fault proxy (an HTTP/1.1 proxy) cannot look.
 * Order is kept per direction (timers of one delay fire in order); a side's close or reset is
 * passed on after the chunks before it.
 */
import { createServer, connect, type Socket } from 'node:net'

export interface LatencyTunnel {
  port: number
  /** Where new connections go (settable: a server may need the tunnel's port before it starts). */
  upstreamPort: number
  /** Connections opened through the tunnel so far. */
  connections: () => number
  close: () => Promise<void>
}

/** Starts a tunnel on a free loopback port to `127.0.0.1:upstreamPort` (0: set `upstreamPort` before the first connection), adding `roundTripMs` to every round trip. */
export async function startLatencyTunnel(upstreamPort: number, roundTripMs: number): Promise<LatencyTunnel> {
  const oneWay = roundTripMs / 2
  const sockets = new Set<Socket>()
  let connections = 0
  const relay = (from: Socket, to: Socket): void => {
    from.on('data', (chunk: Buffer) => {
      setTimeout(() => {
        if (!to.destroyed) to.write(chunk)
      }, oneWay)
    })
    from.on('end', () => setTimeout(() => to.end(), oneWay))
    from.on('error', () => setTimeout(() => to.destroy(), oneWay))
    from.on('close', () => setTimeout(() => to.destroy(), oneWay + 1))
  }
  const server = createServer((client) => {
    connections++
    const upstream = connect(tunnel.upstreamPort, '127.0.0.1')
    for (const socket of [client, upstream]) {
      socket.setNoDelay(true)
      sockets.add(socket)
      socket.on('close', () => sockets.delete(socket))
    }
    relay(client, upstream)
    relay(upstream, client)
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', resolve)
  })
  const tunnel: LatencyTunnel = {
    port: (server.address() as { port: number }).port,
    upstreamPort,
    connections: () => connections,
    close: async () => {
      for (const socket of sockets) socket.destroy()
      await new Promise((resolve) => server.close(resolve))
    }
  }
  return tunnel
}
