// In-page half of bench/view.ts, plain JavaScript (injected as is, never compiled): runs a camera
// script against `window.__benchAdapter` (installed by the Tessera or the OpenSeadragon page
// setup) and measures, inside the page, time-to-sharp after each settle point, frames, the longest
// main-thread task, and memory samples. Same code for every contender.
//
// Adapter: setView({centerX, centerY, zoom}) (image pixels; screen px per image px),
// isSharp() → boolean, textureBytes() → number, counters() → Promise<{decoded, displayed, busy,
// withdrawn?}> (displayed null when the viewer cannot say; withdrawn: tiles withdrawn before sent).
(() => {
  const nextFrame = () => new Promise((resolve) => requestAnimationFrame(resolve))
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

  /** Counts frames and the longest gap between them, from start() to stop(). */
  function frameCounter() {
    let frames = 0
    let last = 0
    let longestGap = 0
    let running = false
    const tick = (now) => {
      if (!running) return
      if (last) longestGap = Math.max(longestGap, now - last)
      last = now
      frames++
      requestAnimationFrame(tick)
    }
    return {
      start() {
        running = true
        requestAnimationFrame(tick)
      },
      stop() {
        running = false
        return { frames, longestGap }
      }
    }
  }

  /**
   * The longest main-thread task (Long Tasks API: only tasks ≥ 50 ms are reported; 0 = none), over
   * the whole script and during motion only (tasks that overlap a glide, a run of wheel ticks, or
   * the frame after an instant move).
   */
  function longTasks() {
    const entries = []
    const observer = new PerformanceObserver((list) => entries.push(...list.getEntries()))
    observer.observe({ type: 'longtask', buffered: false })
    const motion = []
    return {
      moving(from, to) {
        motion.push([from, to])
      },
      stop() {
        entries.push(...observer.takeRecords())
        observer.disconnect()
        const during = entries.filter((e) => motion.some(([a, b]) => e.startTime < b && e.startTime + e.duration > a))
        return {
          longest: entries.reduce((m, e) => Math.max(m, e.duration), 0),
          count: entries.length,
          longestInMotion: during.reduce((m, e) => Math.max(m, e.duration), 0)
        }
      }
    }
  }

  const heap = () => (performance.memory ? performance.memory.usedJSHeapSize : 0)

  async function run(steps, options) {
    const adapter = window.__benchAdapter
    const settles = []
    const samples = []
    let lastMove = performance.now()
    const move = (view) => {
      adapter.setView(view)
      lastMove = performance.now()
    }
    const start = performance.now()
    const sampler = setInterval(() => {
      samples.push({ t: Math.round(performance.now() - start), textureBytes: adapter.textureBytes(), heap: heap() })
    }, options.sampleMs || 500)
    const before = await adapter.counters()
    const frames = frameCounter()
    const tasks = longTasks()
    frames.start()
    let current = adapter.view ? adapter.view() : null
    for (const step of steps) {
      if (step.type === 'move') {
        const t0 = performance.now()
        move(step.view)
        current = step.view
        await nextFrame()
        tasks.moving(t0, performance.now())
      } else if (step.type === 'glide') {
        // One camera position per frame along the path, for `ms`; ease-out for a fling.
        const from = current
        const t0 = performance.now()
        for (;;) {
          await nextFrame()
          const u = Math.min(1, (performance.now() - t0) / step.ms)
          const e = step.ease === 'out' ? 1 - (1 - u) * (1 - u) * (1 - u) : u
          const zoom = from.zoom * Math.pow(step.to.zoom / from.zoom, e)
          move({ centerX: from.centerX + (step.to.centerX - from.centerX) * e, centerY: from.centerY + (step.to.centerY - from.centerY) * e, zoom })
          if (u >= 1) break
        }
        tasks.moving(t0, performance.now())
        current = step.to
      } else if (step.type === 'ticks') {
        // Wheel ticks: one discrete view per tick, `every` ms apart.
        const t0 = performance.now()
        for (const view of step.views) {
          move(view)
          current = view
          await sleep(step.every)
        }
        tasks.moving(t0, performance.now())
      } else if (step.type === 'settle') {
        // Time from the last camera move until sharp; `hold` waits the full cap whatever happens.
        const deadline = lastMove + step.capMs
        let sharpAt = null
        await nextFrame()
        for (;;) {
          if (sharpAt === null && adapter.isSharp()) {
            sharpAt = performance.now()
            if (!step.hold) break
          }
          if (performance.now() >= deadline) break
          await nextFrame()
        }
        if (step.hold) while (performance.now() < deadline) await nextFrame()
        settles.push({ label: step.label, ms: sharpAt === null ? null : Math.round(sharpAt - lastMove), capMs: step.capMs, counted: step.counted !== false, at: performance.timeOrigin + lastMove })
      }
    }
    const frameStats = frames.stop()
    const taskStats = tasks.stop()
    // Work still queued when the script ends (FIFO: tiles of views long gone) is part of its cost.
    const drainStart = performance.now()
    let after = await adapter.counters()
    while (after.busy && performance.now() - drainStart < options.drainCapMs) {
      await sleep(100)
      after = await adapter.counters()
    }
    await sleep(200)
    after = await adapter.counters()
    clearInterval(sampler)
    samples.push({ t: Math.round(performance.now() - start), textureBytes: adapter.textureBytes(), heap: heap() })
    return {
      settles,
      decoded: after.decoded - before.decoded,
      displayed: after.displayed === null ? null : after.displayed - before.displayed,
      withdrawn: (after.withdrawn ?? 0) - (before.withdrawn ?? 0),
      drainedMs: Math.round(performance.now() - drainStart),
      stillBusy: after.busy,
      frames: frameStats.frames,
      longestFrameGapMs: Math.round(frameStats.longestGap),
      longestTaskMs: Math.round(taskStats.longest),
      longestTaskInMotionMs: Math.round(taskStats.longestInMotion),
      longTasks: taskStats.count,
      textureBytes: adapter.textureBytes(),
      samples
    }
  }

  window.__benchDriver = { run }
})()
