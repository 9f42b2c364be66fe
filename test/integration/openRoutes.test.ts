/**
 * Issue 22: a file that is not a raster Tessera reads is refused with the same message whichever
 * way it came — a path given to the host (the command line, Electron's File > Open), a drop
 * uploaded by the browser, a drop opened by path in Electron — naming the file as the person gave
 * it: never the upload's temporary path, never a bare name for a path.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TextureService } from '../../src/main/service/TextureService'
import { closeRasterRuntime, rasterOpener } from '../../src/main/host/rasterOpener'
import { encodeUploadFrame } from '../../src/shared/uploadFrame'
import { netcdfClassicHeader } from '../fixtures/bad/generate'
import { MemorySink, serviceCall as call } from '../helpers/serviceFixtures'

let dir = ''
let uploads = ''
const services: TextureService[] = []

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tessera-routes-'))
  uploads = mkdtempSync(join(tmpdir(), 'tessera-routes-uploads-'))
})

afterAll(async () => {
  await Promise.all(services.map((s) => s.close()))
  await closeRasterRuntime()
  rmSync(dir, { recursive: true, force: true })
  rmSync(uploads, { recursive: true, force: true })
})

function makeService(): TextureService {
  const service = new TextureService({ sink: new MemorySink(), openRaster: rasterOpener, maxWorkers: 2, mayOpenPath: () => true, uploadRoot: uploads })
  services.push(service)
  return service
}

/** The message a refused host open rejects with, or a refused call answers with. */
async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise
  } catch (error) {
    const message = (error as { message: string }).message
    const reply = /^call failed: (.*)$/s.exec(message)
    return reply ? (JSON.parse(reply[1]!) as { error: { message: string } }).error.message : message
  }
  throw new Error('Expected the open to be refused but it opened')
}

async function uploaded(service: TextureService, name: string, bytes: Buffer): Promise<unknown> {
  const { uploadId } = await call<{ uploadId: string }>(service, { type: 'upload-begin', id: 1, name, size: bytes.length })
  service.receiveBinary(encodeUploadFrame(uploadId, 0, bytes))
  return call(service, { type: 'upload-end', id: 2, uploadId })
}

describe('a refused file, by every route', () => {
  for (const [name, bytes, says] of [
    ['model-output.nc', netcdfClassicHeader(), /it is a NetCDF file/],
    ['notes.tif', Buffer.from('Survey notes of 12 March\nbench mark 3 is at 102.55 m\n'), /it is a text file/]
  ] as const) {
    it(`${name}: the same reason by path and by upload, each naming the file as given`, async () => {
      const path = join(dir, name)
      writeFileSync(path, bytes)
      const byPath = await refusal(makeService().openHostPath(path))
      const byCall = await refusal(call(makeService(), { type: 'open', id: 1, path }))
      const byUpload = await refusal(uploaded(makeService(), name, bytes))
      expect(byPath, byPath).toMatch(says)
      expect(byPath.startsWith(`Cannot open ${path}: `)).toBe(true)
      expect(byCall).toBe(byPath)
      // The drop names the file as it was dropped: its own name, never the upload's temporary path.
      expect(byUpload.startsWith(`Cannot open ${name}: `)).toBe(true)
      expect(byUpload).not.toContain(uploads)
      expect(byUpload.slice(`Cannot open ${name}: `.length)).toBe(byPath.slice(`Cannot open ${path}: `.length).split(path).join(name))
    })
  }
})
