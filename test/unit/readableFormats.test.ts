/** The one list of what Tessera reads, as the file picker and the Open dialog filter on it. */
import { describe, expect, it } from 'vitest'
import { READABLE_EXTENSIONS, acceptList, dialogExtensions } from '../../src/shared/readableFormats'

describe('readableFormats', () => {
  it('lists every format Tessera reads, the ESRI ASCII grid included, once each', () => {
    expect(READABLE_EXTENSIONS).toEqual(expect.arrayContaining(['tif', 'tiff', 'png', 'jpg', 'jpeg', 'webp', 'avif', 'heic', 'heif', 'gif', 'svg', 'asc']))
    expect(new Set(READABLE_EXTENSIONS).size).toBe(READABLE_EXTENSIONS.length)
  })

  it('gives the picker an accept list of dotted extensions', () => {
    expect(acceptList().split(',')).toEqual(READABLE_EXTENSIONS.map((e) => `.${e}`))
  })

  it('gives the dialog each extension in both cases (GTK matches them case-sensitively)', () => {
    expect(dialogExtensions()).toEqual(expect.arrayContaining(['tif', 'TIF', 'asc', 'ASC']))
  })
})
