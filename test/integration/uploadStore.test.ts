import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { MAX_OPEN_UPLOADS, UploadStore } from '../../src/main/service/UploadStore'

describe('UploadStore', () => {
  let root: string
  let store: UploadStore
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'tessera-upload-test-'))
    store = new UploadStore(root)
  })
  afterEach(async () => {
    await store.close()
    rmSync(root, { recursive: true, force: true })
  })

  it('writes chunks in order to a file named after the upload, and deletes it on close', async () => {
    const id = await store.begin('../../etc/a b.png', 6)
    store.write(id, 0, new Uint8Array([1, 2, 3]))
    store.write(id, 3, new Uint8Array([4, 5, 6]))
    const path = await store.end(id)
    expect(path.startsWith(store.directory)).toBe(true)
    expect(path.endsWith('a b.png')).toBe(true)
    expect([...readFileSync(path)]).toEqual([1, 2, 3, 4, 5, 6])
    await store.close()
    expect(existsSync(path)).toBe(false)
    expect(existsSync(store.directory)).toBe(false)
  })

  it('refuses chunks out of order or past the announced size, and an upload ended short', async () => {
    const id = await store.begin('x.png', 4)
    expect(() => store.write(id, 1, new Uint8Array(1))).toThrow(/Expected offset 0 for the next chunk of x.png/)
    expect(() => store.write(id, 0, new Uint8Array(5))).toThrow(/overruns the 4 bytes announced for x.png/)
    store.write(id, 0, new Uint8Array(2))
    await expect(store.end(id)).rejects.toThrow(/Upload of x.png ended after 2 of 4 bytes/)
  })

  it(`holds at most ${MAX_OPEN_UPLOADS} uploads in progress, with a clear refusal, and takes more once one ends`, async () => {
    const ids: string[] = []
    for (let i = 0; i < MAX_OPEN_UPLOADS; i++) ids.push(await store.begin(`f${i}.png`, 1))
    await expect(store.begin('one-too-many.png', 1)).rejects.toMatchObject({
      code: 'overloaded',
      message: `Cannot start the upload of one-too-many.png: ${MAX_OPEN_UPLOADS} uploads are already in progress on this connection`
    })
    store.write(ids[0]!, 0, new Uint8Array(1))
    await store.end(ids[0]!)
    await expect(store.begin('now-fits.png', 1)).resolves.toMatch(/^u/)
  })
})
