/**
 * What a raster's source says while it is being opened (a pyramid build that fails at once,
 * progress) reaches the renderer after it knows the raster, whenever the source says it: no timer
 * on either side (issue 12). And the one FileVersion of an open raster is the one its opener gets.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { FileVersion } from '../../src/main/raster/fileVersion'
import { readStamp } from '../../src/main/raster/fileStamp'
import { TextureService } from '../../src/main/service/TextureService'
import type { RasterOpener, ServiceSink } from '../../src/main/service/types'
import type { ServerMessage } from '../../src/shared/protocol'
import { slowStubRaster } from '../helpers/serviceFixtures'

const dir = mkdtempSync(join(tmpdir(), 'tessera-raster-events-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** A file to open (the stub opener does not read it; the service takes its version). */
function file(name: string): string {
  const path = join(dir, name)
  writeFileSync(path, name)
  return path
}

/** An opener whose source, before it is even returned, reports progress and a failed pyramid build. */
const speaksWhileOpening: RasterOpener = async (path, hooks) => {
  hooks.onProgress(0.5)
  hooks.onError(new Error(`Cannot build the pyramid of ${path}: the cache is full`))
  return slowStubRaster(512, 1)
}

/** One ordered record of everything the renderer would get, replies included. */
function rig(openRaster: RasterOpener): { service: TextureService; timeline: ServerMessage[] } {
  const timeline: ServerMessage[] = []
  const sink: ServiceSink = { send: (message) => timeline.push(message), sendTile: () => undefined }
  const service = new TextureService({ sink, openRaster, maxWorkers: 1, watchFiles: false })
  return { service, timeline }
}

async function until(predicate: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !predicate(); i++) await new Promise((resolve) => setTimeout(resolve, 5))
  expect(predicate()).toBe(true)
}

describe('what a source says while it opens', () => {
  it('reaches the renderer after the reply that names the raster, in order, on an ordered transport', async () => {
    const { service, timeline } = rig(speaksWhileOpening)
    const path = file('early.png')
    const reply = await service.receive({ type: 'open', id: 1, path }, (message) => timeline.push(message))
    expect(reply).toMatchObject({ type: 'reply', id: 1 })
    const rasterId = (reply as Extract<ServerMessage, { type: 'reply' }>).result as { rasterId: string }
    await until(() => timeline.some((m) => m.type === 'error'))
    expect(timeline.map((m) => m.type)).toEqual(['reply', 'progress', 'progress', 'error'])
    expect(timeline.slice(1)).toMatchObject([
      { rasterId: rasterId.rasterId, progress: 0.5 },
      { rasterId: rasterId.rasterId, progress: 1 },
      { rasterId: rasterId.rasterId, error: { code: 'decode-failed', message: `Cannot build the pyramid of ${path}: the cache is full` } }
    ])
    await service.close()
  })

  it('reaches the renderer after raster-opened for a file the host opens', async () => {
    const { service, timeline } = rig(speaksWhileOpening)
    const opened = await service.openHostPath(file('host.png'))
    await until(() => timeline.some((m) => m.type === 'error'))
    expect(timeline.map((m) => m.type)).toEqual(['raster-opened', 'progress', 'progress', 'error'])
    expect(timeline.every((m) => 'rasterId' in m && m.rasterId === opened.rasterId)).toBe(true)
    await service.close()
  })

  it('is never said for a raster closed before the renderer knew it', async () => {
    let release!: () => void
    const gate = new Promise<void>((resolve) => (release = resolve))
    const { service, timeline } = rig(async (path, hooks) => {
      hooks.onProgress(0.25)
      await gate
      hooks.onError(new Error(`Cannot build the pyramid of ${path}`))
      return slowStubRaster(512, 1)
    })
    const opening = service.openHostPath(file('closed.png'))
    const closing = service.close()
    release()
    await expect(opening).rejects.toThrow()
    await closing
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(timeline.filter((m) => m.type === 'progress' || m.type === 'error')).toEqual([])
  })
})

describe('the version of an open file', () => {
  it('is taken by the service before it opens the file and handed to the opener', async () => {
    const path = file('versioned.png')
    const versions: FileVersion[] = []
    const { service } = rig(async (_path, _hooks, version) => {
      versions.push(version)
      return slowStubRaster(512, 1)
    })
    await service.receive({ type: 'open', id: 1, path })
    expect(versions).toHaveLength(1)
    expect(versions[0]!.path).toBe(path)
    expect(versions[0]!.stamp).toEqual(await readStamp(path))
    expect(versions[0]!.knownChanged).toBe(false)
    await service.close()
  })

  it('knows for good that its file changed once a read saw another version, even before any stat', async () => {
    const path = file('read.png')
    const version = await FileVersion.read(path)
    expect(version.matches(version.stamp)).toBe(true)
    expect(version.matches({ ...version.stamp!, size: version.stamp!.size + 1 })).toBe(false)
    expect(version.knownChanged).toBe(true)
    expect(version.matches(version.stamp)).toBe(false)
    expect(await version.unchanged()).toBe(false)
  })
})
