import { describe, expect, it } from 'vitest'
import { openFailureMessage } from '../../src/main/service/TextureService'

describe('openFailureMessage', () => {
  it('names an uploaded file by the name it was dropped with, not its temporary path', () => {
    const path = '/tmp/tessera-uploads-abc/3/corrupt.png'
    const message = openFailureMessage(new Error(`Cannot open ${path}: Input file has corrupt header`), path, true)
    expect(message).toBe('Cannot open corrupt.png: Input file has corrupt header')
  })

  it("drops libvips' dangling colon at the end of a cause", () => {
    const message = openFailureMessage(new Error('Cannot open /data/a.png: Input file has corrupt header: '), '/data/a.png', false)
    expect(message).toBe('Cannot open /data/a.png: Input file has corrupt header')
  })

  it('names the file when the cause does not', () => {
    expect(openFailureMessage(new Error('unsupported image format'), '/data/b.tif', false)).toBe(
      'Could not open /data/b.tif: unsupported image format'
    )
  })

  it('turns a thrown non-Error into a message', () => {
    expect(openFailureMessage('boom', '/data/c.jpg', false)).toBe('Could not open /data/c.jpg: boom')
  })
})
