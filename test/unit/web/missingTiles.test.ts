/** The tiles a server said it does not have are taken as missing for a while, a bounded number of them. */
import { describe, expect, it } from 'vitest'
import { MissingTiles } from '../../../src/main/web/missingTiles'

describe('MissingTiles', () => {
  it('holds a missing tile for its time, then asks again', () => {
    let now = 1000
    const missing = new MissingTiles(() => now, 60_000)
    expect(missing.has('/z/1/2.png')).toBe(false)
    missing.add('/z/1/2.png')
    now += 59_999
    expect(missing.has('/z/1/2.png')).toBe(true)
    // Asking does not renew the server's word: only an answer does.
    now += 1
    expect(missing.has('/z/1/2.png')).toBe(false)
    expect(missing.size).toBe(0)
    missing.add('/z/1/2.png')
    expect(missing.has('/z/1/2.png')).toBe(true)
  })

  it('forgets the tile said longest ago beyond its bound', () => {
    const missing = new MissingTiles(() => 0, 60_000, 3)
    for (const url of ['a', 'b', 'c']) missing.add(url)
    missing.add('a') // said again: now the newest
    missing.add('d')
    expect(['a', 'b', 'c', 'd'].map((url) => missing.has(url))).toEqual([true, false, true, true])
    expect(missing.size).toBe(3)
  })
})
