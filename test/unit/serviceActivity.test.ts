import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { ServiceStats } from '../../src/shared/protocol'
import { ACTIVITY_POLL_MS, ACTIVITY_SHOW_WAIT_MS, ServiceActivity } from '../../src/renderer/ui/serviceActivity'

/** A status bar's activity over fake sources: `pending` tiles, the service answering `active`. */
function activityOf(state: { pending: number; active: number }) {
  const shown: Array<[number, number]> = []
  const asked = { count: 0 }
  const activity = new ServiceActivity({
    pending: () => state.pending,
    serviceStats: async () => {
      asked.count++
      return { active: state.active } as ServiceStats
    },
    show: (pending, active) => shown.push([pending, active])
  })
  return { activity, shown, asked }
}

describe('ServiceActivity', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())

  it("shows the service's count with the view's next frame, not in a frame of its own", async () => {
    const { activity, shown, asked } = activityOf({ pending: 12, active: 7 })
    await vi.advanceTimersByTimeAsync(ACTIVITY_POLL_MS)
    expect(asked.count).toBe(1)
    expect(activity.active).toBe(7)
    expect(shown).toEqual([]) // read, not yet shown
    await vi.advanceTimersByTimeAsync(40)
    activity.show() // the view drew a frame
    expect(shown).toEqual([[12, 7]])
    await vi.advanceTimersByTimeAsync(ACTIVITY_SHOW_WAIT_MS)
    expect(shown).toEqual([[12, 7]]) // not shown again on its own
    activity.stop()
  })

  it('shows a count that no frame shows once it has waited ACTIVITY_SHOW_WAIT_MS', async () => {
    const state = { pending: 3, active: 2 }
    const { activity, shown } = activityOf(state)
    await vi.advanceTimersByTimeAsync(ACTIVITY_POLL_MS + ACTIVITY_SHOW_WAIT_MS - 1)
    expect(shown).toEqual([])
    await vi.advanceTimersByTimeAsync(1)
    expect(shown).toEqual([[3, 2]])
    state.active = 0
    await vi.advanceTimersByTimeAsync(ACTIVITY_POLL_MS - ACTIVITY_SHOW_WAIT_MS)
    await vi.advanceTimersByTimeAsync(ACTIVITY_SHOW_WAIT_MS)
    expect(shown).toEqual([
      [3, 2],
      [3, 0]
    ])
    activity.stop()
  })

  it('does not ask the service while nothing is under way, and stop ends the polling', async () => {
    const state = { pending: 0, active: 0 }
    const { activity, shown, asked } = activityOf(state)
    await vi.advanceTimersByTimeAsync(ACTIVITY_POLL_MS * 3)
    expect(asked.count).toBe(0)
    expect(shown).toEqual([
      [0, 0],
      [0, 0],
      [0, 0]
    ])
    state.pending = 5
    state.active = 1
    await vi.advanceTimersByTimeAsync(ACTIVITY_POLL_MS)
    expect(asked.count).toBe(1)
    activity.stop()
    await vi.advanceTimersByTimeAsync(ACTIVITY_POLL_MS * 4)
    expect(asked.count).toBe(1)
    expect(shown).toHaveLength(3) // the count read before stop is never shown after it
  })
})
