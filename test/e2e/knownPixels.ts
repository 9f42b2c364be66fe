/**
 * Screenshots checked against the test images whose colours are known (`images.ts`): QUAD's four
 * quadrants, PYRAMID's block centres and the 8 × 8 checker in a block's corner. Shared by the
 * scenarios that draw these images from files, from URLs and from the command line.
 */
import { expectColor, type Shot } from './helpers'
import { pyramidColor, quadColor } from './images'

/** One point in each of QUAD's four solid quadrants (outside its 256² corner of small blocks). */
const QUADRANT_POINTS = [
  [900, 200],
  [300, 600],
  [900, 600],
  [500, 300]
] as const

/** Asserts QUAD's colour in each of its quadrants on `shot`, naming `what` is checked. */
export function expectQuadrants(shot: Shot, what: string): void {
  for (const [x, y] of QUADRANT_POINTS) expectColor(shot.image(x, y), quadColor(x, y), `${what} at ${x},${y}`)
}

/** Asserts PYRAMID's colour at the centre of each 256-px block `[bx, by]` on `shot`. */
export function expectPyramidBlocks(shot: Shot, blocks: ReadonlyArray<readonly [number, number]>, what: string): void {
  for (const [bx, by] of blocks) {
    const x = bx * 256 + 128
    const y = by * 256 + 128
    expectColor(shot.image(x, y), pyramidColor(x, y), `${what} ${bx},${by}`)
  }
}

/**
 * Asserts every pixel of the 8 × 8 checker in the corner of PYRAMID's block starting at image pixel
 * (x0, y0), on a shot zoomed in enough that each image pixel covers screen pixels of its own.
 */
export function expectPyramidChecker(shot: Shot, x0: number, y0: number, what: string): void {
  for (let y = y0; y < y0 + 8; y++) {
    for (let x = x0; x < x0 + 8; x++) expectColor(shot.image(x, y), pyramidColor(x, y), `${what} ${x},${y}`, 3)
  }
}
