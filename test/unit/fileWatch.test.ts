/**
 * FileWatch (events when a file may have changed, whatever way it was rewritten) and FileVersion
 * (is the file still the version that was opened), on real files in a temporary directory.
 */
import { mkdtempSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { FileWatch } from '../../src/main/service/FileWatch'
import { readStamp, sameStamp, stampOf } from '../../src/main/raster/fileStamp'
import { FileVersion } from '../../src/main/raster/fileVersion'

const dir = mkdtempSync(join(tmpdir(), 'tessera-file-watch-'))
const watches: FileWatch[] = []
afterEach(() => watches.splice(0).forEach((w) => w.close()))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** A watch on `path` and a promise of its next event (null after `ms` without one). */
function watched(path: string, options?: ConstructorParameters<typeof FileWatch>[2]): { watch: FileWatch; next(ms?: number): Promise<boolean>; count(): number } {
  let events = 0
  let wake: (() => void) | null = null
  const watch = new FileWatch(path, () => {
    events++
    wake?.()
  }, options)
  watches.push(watch)
  return {
    watch,
    count: () => events,
    next(ms = 1000) {
      const seen = events
      return new Promise((resolve) => {
        const timer = setTimeout(() => resolve(events > seen), ms)
        wake = () => {
          clearTimeout(timer)
          resolve(true)
        }
      })
    }
  }
}

const settle = (ms = 100): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

describe('FileWatch', () => {
  it('tells of a file written in place', async () => {
    const path = join(dir, 'in-place.bin')
    writeFileSync(path, 'one')
    const { next } = watched(path)
    const event = next()
    writeFileSync(path, 'two')
    expect(await event).toBe(true)
  })

  it('tells of a file replaced by a rename (an editor saving), and keeps telling after it', async () => {
    const path = join(dir, 'renamed.bin')
    writeFileSync(path, 'one')
    const { next } = watched(path)
    let event = next()
    writeFileSync(`${path}.tmp`, 'two')
    renameSync(`${path}.tmp`, path)
    expect(await event).toBe(true)
    await settle()
    event = next()
    writeFileSync(path, 'three') // the new inode: a watch on the old file would not see this
    expect(await event).toBe(true)
  })

  it('tells of a file deleted, and of it coming back', async () => {
    const path = join(dir, 'deleted.bin')
    writeFileSync(path, 'one')
    const { next } = watched(path)
    let event = next()
    unlinkSync(path)
    expect(await event).toBe(true)
    await settle()
    event = next()
    writeFileSync(path, 'again')
    expect(await event).toBe(true)
  })

  it('ignores the other files of the directory', async () => {
    const path = join(dir, 'mine.bin')
    writeFileSync(path, 'one')
    await settle() // the event of that write (a watch on the directory may still be closing) is over
    const { next } = watched(path)
    const event = next(300)
    writeFileSync(join(dir, 'someone-else.bin'), 'noise')
    expect(await event).toBe(false)
  })

  it('polls where the directory cannot be watched, and stops when closed', async () => {
    const path = join(dir, 'polled.bin')
    const { watch, next, count } = watched(path, {
      pollMs: 20,
      watch: (() => {
        throw Object.assign(new Error('ENOSPC: System limit for number of file watchers reached'), { code: 'ENOSPC' })
      }) as never
    })
    expect(watch.polling).toBe(true)
    expect(await next()).toBe(true)
    watch.close()
    watch.close() // idempotent
    const after = count()
    await settle(80)
    expect(count()).toBe(after)
  })

  it('tells nothing once closed', async () => {
    const path = join(dir, 'closed.bin')
    writeFileSync(path, 'one')
    const { watch, next } = watched(path)
    watch.close()
    const event = next(300)
    writeFileSync(path, 'two')
    expect(await event).toBe(false)
  })
})

describe('FileVersion', () => {
  it('finds a file unchanged until it is rewritten, and changed after', async () => {
    const path = join(dir, 'checked.bin')
    writeFileSync(path, 'version one')
    const check = new FileVersion(path, stampOf(statSync(path)))
    expect(await check.unchanged()).toBe(true)
    writeFileSync(path, 'version two')
    expect(await check.unchanged()).toBe(false)
    expect(check.knownChanged).toBe(true)
  })

  it('answers many callers at once from few stats, each from one started after it asked', async () => {
    const path = join(dir, 'many.bin')
    writeFileSync(path, 'same')
    const check = new FileVersion(path, stampOf(statSync(path)))
    const first = Array.from({ length: 100 }, () => check.unchanged())
    expect(await Promise.all(first)).toEqual(first.map(() => true))
    // A caller that asks after a change is answered by a stat that sees it, even while one runs.
    const running = check.unchanged()
    writeFileSync(path, 'different length')
    const after = check.unchanged()
    await running
    expect(await after).toBe(false)
  })

  it('stays changed even when the file is put back as it was', async () => {
    const path = join(dir, 'restored.bin')
    writeFileSync(path, 'aaaa')
    const before = statSync(path)
    const check = new FileVersion(path, stampOf(before))
    renameSync(path, `${path}.kept`)
    writeFileSync(path, 'bbbb')
    expect(await check.unchanged()).toBe(false)
    renameSync(`${path}.kept`, path) // the very same file again: same inode, size and time
    expect(sameStamp(await readStamp(path), stampOf(before))).toBe(true)
    expect(await check.unchanged()).toBe(false)
  })

  it('finds a deleted file changed, and two missing files the same', async () => {
    const path = join(dir, 'vanishing.bin')
    writeFileSync(path, 'x')
    const check = new FileVersion(path, stampOf(statSync(path)))
    unlinkSync(path)
    expect(await check.unchanged()).toBe(false)
    expect(await readStamp(path)).toBeNull()
    expect(sameStamp(null, null)).toBe(true)
  })
})
