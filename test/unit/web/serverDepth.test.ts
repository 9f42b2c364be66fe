/** ServerDepth (web/serverDepth.ts): a 404 past the server's deepest zoom told from one outside its data, by the images it answered. */
import { afterEach, describe, expect, it, vi } from 'vitest'
import { DEPTH_WAIT_MS, ServerDepth } from '../../../src/main/web/serverDepth'

afterEach(() => vi.useRealTimers())

describe('ServerDepth', () => {
  it('says outside the data at once where an image came at the level or finer', async () => {
    const depth = new ServerDepth()
    depth.answered(3)
    expect(await depth.isPast(3)).toBe(false)
    expect(await depth.isPast(5)).toBe(false)
  })

  it('waits while a fetch at the 404’s level or finer is out: an image there says outside the data', async () => {
    vi.useFakeTimers()
    const depth = new ServerDepth()
    const sibling = depth.fetching(2)
    const asked = depth.isPast(2)
    depth.answered(4) // coarser: says nothing of level 2
    depth.answered(2)
    sibling()
    expect(await asked).toBe(false)
  })

  it('says past the depth once no fetch is left at its level or finer (no timer), and remembers it until an image comes there', async () => {
    vi.useFakeTimers()
    const depth = new ServerDepth()
    depth.answered(3)
    const sibling = depth.fetching(1)
    depth.fetching(2) // coarser, still out: it cannot say whether level 1 has data
    let verdict: boolean | null = null
    const asked = depth.isPast(1).then((past) => (verdict = past))
    await Promise.resolve()
    expect(verdict).toBeNull()
    sibling() // answered without an image
    await asked
    expect(verdict).toBe(true)
    // Known now, without a wait: that level and every finer one.
    expect(await depth.isPast(1)).toBe(true)
    expect(await depth.isPast(0)).toBe(true)
    depth.answered(1) // the server does reach level 1 after all (a deeper region)
    expect(await depth.isPast(1)).toBe(false)
  })

  it('says past the depth at once when nothing else is asked at its level or finer', async () => {
    vi.useFakeTimers()
    const depth = new ServerDepth()
    depth.answered(3)
    expect(await depth.isPast(1)).toBe(true)
  })

  it('waits DEPTH_WAIT_MS at most for a fetch that never answers', async () => {
    vi.useFakeTimers()
    const depth = new ServerDepth()
    depth.fetching(0)
    const asked = depth.isPast(0)
    await vi.advanceTimersByTimeAsync(DEPTH_WAIT_MS)
    expect(await asked).toBe(true)
  })

  it('stops waiting when its tile is withdrawn', async () => {
    const depth = new ServerDepth()
    depth.fetching(0)
    const controller = new AbortController()
    const asked = depth.isPast(0, controller.signal)
    controller.abort()
    await expect(asked).rejects.toMatchObject({ name: 'AbortError' })
  })
})
