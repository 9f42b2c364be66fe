/**
 * Starts one worker thread from a module path or file: URL. A bundled worker (`.js`, what electron-vite emits)
 * starts as is; a TypeScript source (what `?modulePath` gives under Vitest) starts through tsx,
 * because Node 20 worker threads neither run `.ts` nor honour `--import` in their execArgv.
 */
import { Worker } from 'node:worker_threads'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

/** Data every pool worker receives at start (`serveJobs` reads it). */
export interface WorkerStartData {
  testHooks: boolean
}

let tsxApiUrl: string | undefined

/** file: URL of tsx's ESM API; resolved lazily, only development and tests need it. */
function tsxApi(): string {
  if (!tsxApiUrl) {
    const tsxRoot = dirname(createRequire(import.meta.url).resolve('tsx/package.json'))
    tsxApiUrl = pathToFileURL(join(tsxRoot, 'dist/esm/api/index.mjs')).href
  }
  return tsxApiUrl
}

/** Starts a worker running `script` (a .js/.mjs module, or a .ts module through tsx). */
export function spawnWorker(script: string | URL, workerData: WorkerStartData): Worker {
  const path = script instanceof URL ? fileURLToPath(script) : script
  if (!/\.(c|m)?ts$/.test(path)) return new Worker(path, { workerData })
  // Load errors are rethrown outside the promise so that they reach the worker's 'error' event.
  const bootstrap =
    `import(${JSON.stringify(tsxApi())})` +
    `.then((api) => { api.register(); return import(${JSON.stringify(pathToFileURL(path).href)}) })` +
    `.catch((error) => { setImmediate(() => { throw error }) })`
  return new Worker(bootstrap, { eval: true, workerData })
}
