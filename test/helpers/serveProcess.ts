/**
 * Starts the browser host as a person would (`node scripts/serve.mjs --port 0 …`, which builds
 * first when the sources changed) and resolves with the URL it prints. Shared by the end-to-end
 * tests and the `view` benchmark; no test-runner imports, so both can use it.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'

/** The one line `npm run serve` prints (see SERVE_LINE_PATTERN in src/main/host/serveHost.ts). */
const SERVE_LINE = /Tessera serving at (http:\/\/\S+\/\?token=[A-Za-z0-9_-]+)/

export interface ServeProcess {
  url: string
  process: ChildProcess
  /** Ends the host (SIGTERM, SIGKILL after 5 s). Idempotent. */
  stop: () => Promise<void>
}

/** How to spawn the host besides its arguments: as another user (`uid`, `gid`: the caller must be root), with more environment. */
export interface ServeSpawnOptions {
  uid?: number
  gid?: number
  env?: Record<string, string>
}

/** Spawns the host from `root` with `args` after `--port 0`; rejects when no URL is printed within `timeoutMs`. */
export async function startServeProcess(root: string, args: string[], timeoutMs = 180_000, options: ServeSpawnOptions = {}): Promise<ServeProcess> {
  const child = spawn(process.execPath, [join(root, 'scripts/serve.mjs'), '--port', '0', ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(options.uid !== undefined ? { uid: options.uid } : {}),
    ...(options.gid !== undefined ? { gid: options.gid } : {}),
    ...(options.env ? { env: { ...process.env, ...options.env } } : {})
  })
  let stderr = ''
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const url = await new Promise<string>((resolvePromise, reject) => {
    let stdout = ''
    const timer = setTimeout(() => reject(new Error(`npm run serve printed no URL within ${timeoutMs / 1000} s; stderr:\n${stderr}`)), timeoutMs)
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
      const match = SERVE_LINE.exec(stdout)
      if (match) {
        clearTimeout(timer)
        resolvePromise(match[1]!)
      }
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`npm run serve exited with ${code}; stderr:\n${stderr}`))
    })
  })
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return
    const exited = new Promise((r) => child.once('exit', r))
    child.kill('SIGTERM')
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
    await exited
    clearTimeout(timer)
  }
  return { url, process: child, stop }
}
