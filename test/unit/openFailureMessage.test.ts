import { describe, expect, it } from 'vitest'
import { openFailureMessage } from '../../src/main/service/TextureService'
import { CannotOpenError } from '../../src/shared/errors'

describe('openFailureMessage', () => {
  it('names an uploaded file by the name it was dropped with, not its temporary path', () => {
    const path = '/tmp/tessera-uploads-abc/3/corrupt_.png'
    const message = openFailureMessage(new CannotOpenError(path, 'Input file has corrupt header'), path, 'corrupt?.png')
    expect(message).toBe('Cannot open corrupt?.png: Input file has corrupt header')
  })

  it('names a command-line file by the path as given, not the absolute path it was resolved to', () => {
    const error = new CannotOpenError('/home/ana/data/model.nc', 'it is a NetCDF file (classic format), not an image.')
    expect(openFailureMessage(error, '/home/ana/data/model.nc', 'data/model.nc')).toBe('Cannot open data/model.nc: it is a NetCDF file (classic format), not an image.')
  })

  it("drops libvips' dangling colon at the end of a cause", () => {
    const message = openFailureMessage(new Error('Cannot open /data/a.png: Input file has corrupt header: '), '/data/a.png', '/data/a.png')
    expect(message).toBe('Cannot open /data/a.png: Input file has corrupt header')
  })

  it('names the file when the cause does not, with the one message of a file that does not open', () => {
    expect(openFailureMessage(new Error('unsupported image format'), '/data/b.tif', 'b.tif')).toBe('Cannot open b.tif: unsupported image format')
  })

  it('turns a thrown non-Error into a message', () => {
    expect(openFailureMessage('boom', '/data/c.jpg', '/data/c.jpg')).toBe('Cannot open /data/c.jpg: boom')
  })
})
