import { writeFileSync } from 'node:fs'
import sharp from 'sharp'
import { afterAll, describe, expect, it } from 'vitest'
import { pngDamage } from '../../src/main/raster/decode/damage'
import { tempDir } from '../helpers/images'

const tmp = tempDir('tessera-damage-')
afterAll(() => tmp.cleanup())

async function png(): Promise<Buffer> {
  return Buffer.from(await sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 10, g: 200, b: 30 } } }).png().toBuffer())
}

describe('pngDamage', () => {
  it('finds nothing wrong with a sound PNG', async () => {
    const path = tmp.file('sound.png')
    writeFileSync(path, await png())
    expect(pngDamage(path)).toEqual([])
  })

  it('names the chunk whose checksum fails', async () => {
    const bytes = await png()
    const idat = bytes.indexOf('IDAT')
    const length = bytes.readUInt32BE(idat - 4)
    bytes[idat + 4 + length] ^= 0xff // first byte of the IDAT chunk's CRC
    const path = tmp.file('bad-crc.png')
    writeFileSync(path, bytes)
    expect(pngDamage(path)).toEqual(['the checksum of its IDAT chunk fails: the file is damaged and may show wrong pixels'])
  })

  it('says nothing of files that are not PNG', () => {
    const path = tmp.file('not.png')
    writeFileSync(path, Buffer.from('GIF89a not a png at all'))
    expect(pngDamage(path)).toEqual([])
  })
})
