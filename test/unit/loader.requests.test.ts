/**
 * A client's requests as they stand (issue 12): the loader's entries are the one record of a tile
 * request in main, and a service asks them rather than keeping a copy.
 */
import { describe, expect, it } from 'vitest'
import { AsyncImageLoader, ImageLoadPriority } from '../../src/main/loader'

const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))
const never = (): Promise<string> => new Promise<string>(() => undefined)

describe('LoaderClient requests as they stand', () => {
  it('gives a pending request with the most urgent priority and the newest rank it was given', () => {
    const loader = new AsyncImageLoader<string>({ maxWorkers: 1 })
    const client = loader.connect({ maxActive: 1 })
    const callback = (): void => undefined
    client.scheduleLoad({ id: 'busy', textureId: 'other', load: never, callback })
    client.scheduleLoad({ id: 'a', textureId: 't', priority: ImageLoadPriority.LOW, rank: 5, load: never, callback })
    client.scheduleLoad({ id: 'a', textureId: 't', priority: ImageLoadPriority.HIGH, rank: 2, load: never, callback })
    client.scheduleLoad({ id: 'a', textureId: 't', priority: ImageLoadPriority.NORMAL, rank: 0, load: never, callback })
    expect(client.request('a')).toEqual({ id: 'a', textureId: 't', priority: ImageLoadPriority.HIGH, rank: 2, active: false })
    expect(client.request('missing')).toBeUndefined()
    void loader.stop()
  })

  it("lists a texture's pending and running requests, and forgets cancelled and ended ones", async () => {
    const loader = new AsyncImageLoader<string>({ maxWorkers: 1 })
    loader.start()
    const client = loader.connect()
    let finish!: (value: string) => void
    const callback = (): void => undefined
    client.scheduleLoad({ id: 'run', textureId: 't', load: () => new Promise<string>((resolve) => (finish = resolve)), callback })
    client.scheduleLoad({ id: 'wait', textureId: 't', priority: ImageLoadPriority.LOW, load: never, callback })
    client.scheduleLoad({ id: 'gone', textureId: 't', load: never, callback })
    client.scheduleLoad({ id: 'elsewhere', textureId: 'u', load: never, callback })
    await flush()
    client.cancelObsoleteForTexture('t', ['run', 'wait'])
    const states = client.requestsOf('t').sort((a, b) => a.id.localeCompare(b.id))
    expect(states).toEqual([
      { id: 'run', textureId: 't', priority: ImageLoadPriority.NORMAL, rank: 0, active: true },
      { id: 'wait', textureId: 't', priority: ImageLoadPriority.LOW, rank: 0, active: false }
    ])
    finish('done')
    await flush()
    expect(client.requestsOf('t').map((s) => s.id)).toEqual(['wait'])
    expect(client.requestsOf('none')).toEqual([])
    void loader.stop()
  })
})
