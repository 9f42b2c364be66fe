/** A folder on the command line stands for its images, in name order, in place of the folder. */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { expandFolders } from '../../src/main/host/expandFolders'

const dir = mkdtempSync(join(tmpdir(), 'tessera-expand-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('expandFolders', () => {
  it('replaces a folder by its image files in name order, keeping the other paths in place', () => {
    const scans = join(dir, 'scans')
    mkdirSync(join(scans, 'sub'), { recursive: true })
    for (const name of ['scan-10.tif', 'scan-2.TIF', 'scan-1.png', '.hidden.png', 'notes.txt', 'scan-1.tfw', 'scan-1.tif.ovr', 'sub/inner.png']) {
      writeFileSync(join(scans, name), '')
    }
    symlinkSync(join(scans, 'scan-1.png'), join(scans, 'scan-3.jpg'))
    const before = join(dir, 'before.png')
    expect(expandFolders([before, scans, join(dir, 'missing.tif')])).toEqual([
      before,
      join(scans, 'scan-1.png'),
      join(scans, 'scan-2.TIF'),
      join(scans, 'scan-3.jpg'),
      join(scans, 'scan-10.tif'),
      join(dir, 'missing.tif')
    ])
  })

  it('keeps a folder without images as given (opening it says it is a directory)', () => {
    const empty = join(dir, 'empty.png')
    mkdirSync(empty)
    expect(expandFolders([empty])).toEqual([empty])
  })
})
