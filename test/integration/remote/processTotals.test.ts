/**
 * The host's remote totals (ServiceStats.remote, read by the `remote` bench): the sum of the
 * counters of every remote file the process opened, closed ones included.
 */
import { describe, expect, it } from 'vitest'
import { openRemoteFile, processRemoteTotals } from '../../../src/main/remote'
import { useRemoteServer } from './remoteServer'

const server = useRemoteServer('remote-totals')

describe('processRemoteTotals', () => {
  it('adds up the requests, bytes and bytes after abort of every file opened, after they close', async () => {
    const before = processRemoteTotals()
    const direct = await openRemoteFile(server.nginx().url(server.cogName), server.opts())
    const proxied = await openRemoteFile(server.proxy().url(server.cogName), server.opts())
    await direct.read(100_000, 300_000)
    await proxied.read(500_000, 100_000)
    const stats = [direct.stats(), proxied.stats()]
    direct.close()
    proxied.close()
    const after = processRemoteTotals()
    expect(stats[0]!.requests).toBe(2)
    expect(stats[1]!.requests).toBe(2)
    expect(after.requests - before.requests).toBe(stats[0]!.requests + stats[1]!.requests)
    expect(after.bytes - before.bytes).toBe(stats[0]!.bytes + stats[1]!.bytes)
    expect(after.bytesAfterAbort - before.bytesAfterAbort).toBe(stats[0]!.bytesAfterAbort + stats[1]!.bytesAfterAbort)
  })
})
