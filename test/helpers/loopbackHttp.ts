/**
 * A node HTTP server on a free loopback port for the tests of one file, and a folder of their own:
 * started before the file's tests, closed (the folder removed) after them.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer, type RequestListener, type Server } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll } from 'vitest'

export interface LoopbackHttp {
  /** `http://127.0.0.1:<port>`, once started. */
  readonly origin: string
  /** The folder of the file's tests. */
  readonly root: string
}

export function useLoopbackHttp(name: string, handler: RequestListener): LoopbackHttp {
  let server: Server | null = null
  const state = { origin: '', root: '' }
  beforeAll(async () => {
    state.root = mkdtempSync(join(tmpdir(), `tessera-${name}-`))
    server = createServer(handler)
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve))
    state.origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`
  })
  afterAll(async () => {
    if (server) await new Promise((resolve) => server!.close(resolve))
    if (state.root) rmSync(state.root, { recursive: true, force: true })
  })
  return state
}
