/**
 * The worker side of a WorkerPool: one job at a time, answered by message. A worker script is
 * `serveJobs(runJob)`; results are posted with the buffers `runJob` names in the transfer list, so
 * that they move to the main thread without a copy. The `test:*` jobs (crash, throw, sleep, echo)
 * are honoured here, in workers started with `testHooks`, whatever the script computes.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { messageOf } from '../../shared/errors'
import type { WorkerStartData } from './spawnWorker'
import type { PoolJob, TestJob, WorkerMessage, WorkerRequest } from './workerMessages'

/** A job's answer: its value, and the buffers to transfer with it. */
export interface JobOutcome {
  value: unknown
  transfer: ArrayBuffer[]
}

/** Runs one job; `progress` posts a fraction (0…1) of the work done. */
export type RunJob<Job extends PoolJob> = (job: Job, progress: (fraction: number) => void) => Promise<JobOutcome>

/** Answers the pool's requests in this worker thread with `runJob`. Throws outside a worker thread. */
export function serveJobs<Job extends PoolJob>(runJob: RunJob<Job>): void {
  const port = parentPort
  if (!port) throw new Error('A pool worker must run in a worker thread')
  const { testHooks } = (workerData ?? { testHooks: false }) as WorkerStartData
  const post = (message: WorkerMessage, transfer: ArrayBuffer[] = []): void => port.postMessage(message, transfer)

  const handle = async ({ id, job }: WorkerRequest<Job | TestJob>): Promise<void> => {
    try {
      if (isTestJob(job)) {
        if (!testHooks) throw new Error(`Job ${job.kind} is only run by workers started with testHooks`)
        post({ type: 'result', id, value: await runTestJob(job) })
        return
      }
      const { value, transfer } = await runJob(job, (fraction) => post({ type: 'progress', id, value: fraction }))
      post({ type: 'result', id, value }, transfer)
    } catch (error) {
      post({ type: 'error', id, name: error instanceof Error ? error.name : 'Error', message: messageOf(error) })
    }
  }
  port.on('message', (request: WorkerRequest<Job | TestJob>) => {
    void handle(request)
  })
}

function isTestJob(job: PoolJob): job is TestJob {
  return job.kind.startsWith('test:')
}

/** Hooks that let the tests make a worker crash, throw outside any job, or stay busy. */
async function runTestJob(job: TestJob): Promise<unknown> {
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
      throw new Error(`Unknown test job ${(job as PoolJob).kind}`)
  }
}
