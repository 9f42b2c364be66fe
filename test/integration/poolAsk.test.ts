/**
 * The pool's "ask the main thread" channel: a running job asks (`askMain`), the pool's creator
 * answers (`PoolWorker.answer`) under the job's AbortSignal, and the answer's buffers are transferred.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { WorkerPool, type AnswerHandler } from '../../src/main/pool'
import { askMain } from '../../src/main/pool/serveJobs'
import { decodeWorker, type DecodePool } from '../../src/main/raster/decodePools'

/** A pool of decode workers whose questions `answer` answers (none: the decode worker's own handler left out too). */
function poolAnswering(answer?: AnswerHandler): DecodePool {
  const { answer: _decodeAnswers, ...worker } = decodeWorker
  return new WorkerPool({ worker: { ...worker, ...(answer ? { answer } : {}) }, size: 1, testHooks: true })
}

describe('WorkerPool: questions of a running job', () => {
  let pool: DecodePool
  afterEach(async () => {
    await pool?.close()
  })

  it('answers each question with the handler, transferring its buffers', async () => {
    const sent: ArrayBuffer[] = []
    pool = poolAnswering(async (question) => {
      const { times } = question as { times: number }
      const buffer = new Uint8Array([times, times * 2, times * 3]).buffer
      sent.push(buffer)
      return { value: { bytes: buffer }, transfer: [buffer] }
    })
    const answers = await pool.run<{ value: { bytes: ArrayBuffer } }[]>({ kind: 'test:ask', questions: [{ times: 1 }, { times: 5 }] })
    expect(answers.map((a) => [...new Uint8Array(a.value.bytes)])).toEqual([
      [1, 2, 3],
      [5, 10, 15]
    ])
    // Transferred, not copied: the main thread's buffers are detached.
    expect(sent.map((b) => b.byteLength)).toEqual([0, 0])
  })

  it("hands the handler's error to the worker with its name kept", async () => {
    pool = poolAnswering(async () => {
      const error = new Error('https://example.test/a.tif changed on the server')
      error.name = 'FileChangedError'
      throw error
    })
    await expect(pool.run({ kind: 'test:ask', questions: ['bytes?'] })).resolves.toEqual([{ error: 'FileChangedError', message: 'https://example.test/a.tif changed on the server' }])
  })

  it('refuses every question when its creator gave no handler', async () => {
    pool = poolAnswering()
    const [answer] = await pool.run<{ error: string; message: string }[]>({ kind: 'test:ask', questions: [1] })
    expect(answer).toEqual({ error: 'Error', message: 'The worker pool answers no questions of its jobs' })
  })

  it("aborts the handler's signal when the job is cancelled; the worker is freed, not replaced", async () => {
    const signals: AbortSignal[] = []
    let asked!: () => void
    const askedOnce = new Promise<void>((resolve) => (asked = resolve))
    pool = poolAnswering(
      (_question, signal) =>
        new Promise((_resolve, reject) => {
          signals.push(signal)
          asked()
          // Answers only when the job no longer wants it.
          signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true })
        })
    )
    const controller = new AbortController()
    const job = pool.run({ kind: 'test:ask', questions: ['slow bytes'] }, { signal: controller.signal })
    await askedOnce
    expect(signals[0]!.aborted).toBe(false)
    controller.abort()
    await expect(job).rejects.toMatchObject({ name: 'AbortError' })
    expect(signals[0]!.aborted).toBe(true)
    // The worker had its answer (an AbortError) and ended the job: the next one runs on it.
    await expect(pool.run({ kind: 'test:echo', value: 'next' })).resolves.toBe('next')
    expect(pool.stats().replaced).toBe(0)
  })

  it("aborts the job's signal once the job has ended, and gives each job its own", async () => {
    const signals: AbortSignal[] = []
    pool = poolAnswering(async (question, signal) => {
      signals.push(signal)
      return { value: question }
    })
    await pool.run({ kind: 'test:ask', questions: ['a', 'b'] })
    const [first, second] = signals
    expect(first).toBe(second)
    expect(first!.aborted).toBe(true)
    await pool.run({ kind: 'test:ask', questions: ['c'] })
    expect(signals[2]).not.toBe(first)
  })

  it('answers a question asked outside a pool worker with a refusal', async () => {
    await expect(askMain('anything')).rejects.toThrow(/only a job running in a pool worker can ask/)
  })
})
