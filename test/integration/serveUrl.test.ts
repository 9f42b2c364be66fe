/**
 * `npm run serve -- http://…/dem.tif` as a person runs it (issue 24): scripts/serve.mjs with a URL
 * on its command line, served by Debian's nginx. A connection with the token gets the raster
 * opened from the URL at start (read by range, never taken for a path), its info naming the URL
 * and the server's size and date, and its tiles as GDAL reads the same URL; a URL the server
 * answers 404 is said in an error naming it and its status, in its place of the batch.
 */
import { statSync } from 'node:fs'
import { resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import type { ServerMessage } from '../../src/shared/protocol'
import { decodeTileFrame } from '../../src/shared/tileFrame'
import * as gdal from '../helpers/gdal'
import { tempDir } from '../helpers/images'
import { requireNginx, startNginx, type NginxServer } from '../helpers/nginx'
import { startServeProcess, type ServeProcess } from '../helpers/serveProcess'

const root = resolve(__dirname, '../..')
const tmp = tempDir('tessera-serve-url-')
let nginx: NginxServer
let serve: ServeProcess
let cogUrl: string
let missingUrl: string

beforeAll(async () => {
  requireNginx()
  gdal.requireGdal()
  await gdal.gdalRaster(tmp.dir, 'dem', gdal.valueGrid(600, 400, 3, 'uint8', 7), ['-of', 'COG', '-co', 'BLOCKSIZE=256', '-co', 'COMPRESS=DEFLATE'], {
    colorInterp: ['Red', 'Green', 'Blue']
  })
  nginx = await startNginx(tmp.dir)
  cogUrl = nginx.url('/dem.tif')
  missingUrl = nginx.url('/missing.tif')
  serve = await startServeProcess(root, [cogUrl, missingUrl])
}, 240_000)

afterAll(async () => {
  await serve?.stop()
  await nginx?.stop()
  tmp.cleanup()
})

describe('npm run serve with a URL on its command line', () => {
  it('opens the URL for a connection with the token: its info names the URL, size and date, and its tiles are as GDAL reads the URL', async () => {
    const page = new URL(serve.url)
    const socket = new WebSocket(`ws://${page.host}/ws?token=${page.searchParams.get('token')}`, { origin: page.origin })
    const messages: ServerMessage[] = []
    const frames: Uint8Array[] = []
    const waiters: Array<() => void> = []
    socket.on('message', (data: Buffer, isBinary: boolean) => {
      if (isBinary) frames.push(new Uint8Array(data))
      else messages.push(JSON.parse(data.toString()) as ServerMessage)
      waiters.splice(0).forEach((wake) => wake())
    })
    const until = async (what: string, predicate: () => boolean): Promise<void> => {
      const deadline = Date.now() + 30_000
      while (!predicate()) {
        if (Date.now() > deadline) throw new Error(`Not within 30 s: ${what}; messages: ${JSON.stringify(messages)}`)
        await Promise.race([new Promise<void>((wake) => waiters.push(wake)), new Promise((wake) => setTimeout(wake, 100))])
      }
    }
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject))
    try {
      await until('the raster opened from the URL and the error of the missing one', () => messages.some((m) => m.type === 'raster-opened') && messages.some((m) => m.type === 'error'))
      const opened = messages.find((m): m is Extract<ServerMessage, { type: 'raster-opened' }> => m.type === 'raster-opened')!
      const file = statSync(tmp.file('dem.tif'))
      expect(opened.info).toMatchObject({ name: 'dem.tif', width: 600, height: 400, strategy: 'tiled', fileSize: file.size })
      expect(opened.info.source).toEqual({ kind: 'url', url: cogUrl, size: file.size, lastModified: new Date(Math.floor(file.mtimeMs / 1000) * 1000).toUTCString(), wholeBody: false })
      expect(opened.batch).toMatchObject({ index: 0, size: 2 })

      const failed = messages.find((m): m is Extract<ServerMessage, { type: 'error' }> => m.type === 'error')!
      expect(failed.file).toBe(missingUrl)
      expect(failed.batch).toMatchObject({ index: 1, size: 2 })
      expect(failed.error).toEqual({ code: 'open-failed', message: `Cannot open ${missingUrl}: HTTP 404 Not Found` })

      socket.send(JSON.stringify({ type: 'request', rasterId: opened.rasterId, tiles: [{ level: 0, col: 1, row: 1, priority: 1 }] }))
      await until('the tile', () => frames.length > 0)
      const tile = decodeTileFrame(frames[0]!)
      expect(tile.header).toMatchObject({ rasterId: opened.rasterId, level: 0, col: 1, row: 1, width: 256, height: 144, channels: 4 })
      const ref = await gdal.gdalRead(`/vsicurl/${cogUrl}`, tmp.dir, ['-srcwin', '256', '256', '256', '144'])
      const plane = 256 * 144
      let differ = 0
      for (let i = 0; i < plane; i++) for (let b = 0; b < 3; b++) if (tile.data[i * 4 + b] !== ref.data[b * plane + i]) differ++
      expect(differ, 'samples that differ from GDAL').toBe(0)
    } finally {
      socket.close()
    }
  })
})
