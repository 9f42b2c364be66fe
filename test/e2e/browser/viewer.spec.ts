/**
 * The viewer end to end in Debian's Chromium against `npm run serve`: real uploads, real decoding,
 * real streaming, the real Pixi renderer (WebGL through SwiftShader).
 */
import { test } from '../helpers'
import { scenarios } from '../scenarios'

test.describe('viewer in a browser', () => {
  for (const scenario of scenarios) {
    test(scenario.title, async ({ viewer }) => scenario.run(viewer, 'browser'))
  }
})
