/**
 * The decode worker: runs one job at a time for the pool, with sharp. Pixel results are posted
 * with their ArrayBuffers in the transfer list, so they move to the main thread without a copy.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { runJob } from '../raster/decode/runJob'
import type { WorkerMessage, WorkerRequest } from './jobs'
import type { WorkerStartData } from './spawnWorker'

const port = parentPort
if (!port) throw new Error('decode.worker must run in a worker thread')
const { testHooks } = (workerData ?? { testHooks: false }) as WorkerStartData

port.on('message', (request: WorkerRequest) => {
  void handle(request)
})

async function handle({ id, job }: WorkerRequest): Promise<void> {
  const post = (message: WorkerMessage, transfer: ArrayBuffer[] = []): void => port!.postMessage(message, transfer)
  try {
    if (job.kind.startsWith('test:')) {
      if (!testHooks) throw new Error(`Job ${job.kind} is only run by workers started with testHooks`)
      post({ type: 'result', id, value: await runTestJob(job) })
      return
    }
    const { value, transfer } = await runJob(job, (fraction) => post({ type: 'progress', id, value: fraction }))
    post({ type: 'result', id, value }, transfer)
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error))
    post({ type: 'error', id, name: e.name, message: e.message })
  }
}

/** Hooks that let the tests make a worker crash, throw outside any job, or stay busy. */
async function runTestJob(job: WorkerRequest['job']): Promise<unknown> {
  switch (job.kind) {
    case 'test:exit':
      process.exit(job.code)
    // eslint-disable-next-line no-fallthrough
    case 'test:throw':
      // Thrown outside the job's promise: an uncaught exception that kills the worker.
      setImmediate(() => {
        throw new Error(job.message)
      })
      return new Promise(() => {})
    case 'test:sleep':
      await new Promise((resolve) => setTimeout(resolve, job.ms))
      return job.ms
    case 'test:echo':
      return job.value
    default:
      throw new Error(`Unknown test job ${job.kind}`)
  }
}
