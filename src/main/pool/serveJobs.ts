/**
 * The worker side of a WorkerPool: one job at a time, answered by message. A worker script is
 * `serveJobs(runJob)`; results are posted with the buffers `runJob` names in the transfer list, so
 * that they move to the main thread without a copy. A running job may ask the main thread a
 * question and await its answer (`askMain`: the bytes of a file only the main thread reads). The
 * `test:*` jobs (crash, throw, sleep, echo, ask) are honoured here, in workers started with
 * `testHooks`, whatever the script computes.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { messageOf } from '../../shared/errors'
import type { WorkerStartData } from './spawnWorker'
import type { AnswerMessage, PoolJob, PoolMessage, TestJob, WorkerMessage, WorkerRequest } from './workerMessages'

/** A job's answer: its value, and the buffers to transfer with it. */
export interface JobOutcome {
  value: unknown
  transfer: ArrayBuffer[]
}

/** Runs one job; `progress` posts a fraction (0…1) of the work done. */
export type RunJob<Job extends PoolJob> = (job: Job, progress: (fraction: number) => void) => Promise<JobOutcome>

/** Asks questions of the main thread for the job running in this worker (set by `serveJobs`). */
let asker: ((question: unknown) => Promise<unknown>) | null = null

/**
 * Asks the main thread `question` on behalf of the job running in this worker, and resolves with
 * the pool's answer (its buffers transferred), or rejects with its error, whose name is kept: an
 * AbortError once the job is cancelled. Only a job run by `serveJobs` may ask.
 */
export function askMain(question: unknown): Promise<unknown> {
  if (!asker) return Promise.reject(new Error('askMain: only a job running in a pool worker can ask the main thread'))
  return asker(question)
}

/** Answers the pool's requests in this worker thread with `runJob`. Throws outside a worker thread. */
export function serveJobs<Job extends PoolJob>(runJob: RunJob<Job>): void {
  const port = parentPort
  if (!port) throw new Error('A pool worker must run in a worker thread')
  const { testHooks } = (workerData ?? { testHooks: false }) as WorkerStartData
  const post = (message: WorkerMessage, transfer: ArrayBuffer[] = []): void => port.postMessage(message, transfer)
  // The pool runs one job at a time in a worker: questions are asked for that one.
  let running: number | null = null
  let nextAskId = 1
  const waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>()
  asker = (question) => {
    const id = running
    if (id === null) return Promise.reject(new Error('askMain: no job is running in this worker'))
    const askId = nextAskId++
    return new Promise((resolve, reject) => {
      waiting.set(askId, { resolve, reject })
      post({ type: 'ask', id, askId, question })
    })
  }
  const answered = (answer: AnswerMessage): void => {
    const asked = waiting.get(answer.askId)
    if (!asked) return
    waiting.delete(answer.askId)
    if ('error' in answer) asked.reject(Object.assign(new Error(answer.error.message), { name: answer.error.name }))
    else asked.resolve(answer.value)
  }

  const handle = async ({ id, job }: WorkerRequest<Job | TestJob>): Promise<void> => {
    running = id
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
    } finally {
      running = null
    }
  }
  port.on('message', (message: PoolMessage<Job | TestJob>) => {
    if ('askId' in message) answered(message)
    else void handle(message)
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
    case 'test:ask': {
      const answers: unknown[] = []
      for (const question of job.questions) {
        answers.push(await askMain(question).then((value) => ({ value }), (error: Error) => ({ error: error.name, message: error.message })))
      }
      return answers
    }
    default:
      throw new Error(`Unknown test job ${(job as PoolJob).kind}`)
  }
}
