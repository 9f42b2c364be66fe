/**
 * Rotation by quarter turns and mirroring of the whole view, done on the screen rather than in the
 * world: the canvas is laid out with the camera's screen size (width and height swapped for a
 * quarter turn) and turned by CSS, so that planning, readout and map coordinates stay in the
 * camera's frame. Pure functions of the orientation and the stage's size.
 */

export interface Orientation {
  /** Clockwise quarter turns, 0–3. */
  quarterTurns: 0 | 1 | 2 | 3
  /** Mirrored left to right (before turning). */
  flipped: boolean
}

export const UPRIGHT: Orientation = Object.freeze({ quarterTurns: 0, flipped: false })

/** The orientation turned by `turns` quarter turns (positive: clockwise). */
export function rotateOrientation(o: Orientation, turns: number): Orientation {
  return { ...o, quarterTurns: ((((o.quarterTurns + turns) % 4) + 4) % 4) as Orientation['quarterTurns'] }
}

/** The orientation mirrored left to right on screen. */
export function flipOrientation(o: Orientation): Orientation {
  // Mirroring the screen after a quarter turn is mirroring the content before it, turned the other way.
  return { quarterTurns: ((4 - o.quarterTurns) % 4) as Orientation['quarterTurns'], flipped: !o.flipped }
}

/** The camera's screen (the canvas before it is turned) for a stage of `width` × `height`, and where it is laid out. */
export function canvasBox(o: Orientation, width: number, height: number): { width: number; height: number; left: number; top: number } {
  const swap = o.quarterTurns % 2 === 1
  const w = swap ? height : width
  const h = swap ? width : height
  return { width: w, height: h, left: (width - w) / 2, top: (height - h) / 2 }
}

/** The CSS transform of the canvas (about its centre): the mirror first, then the turn. */
export function canvasTransform(o: Orientation): string {
  const parts: string[] = []
  if (o.quarterTurns) parts.push(`rotate(${o.quarterTurns * 90}deg)`)
  if (o.flipped) parts.push('scaleX(-1)')
  return parts.join(' ') || 'none'
}

/**
 * The point of the camera's screen under a point of the stage (both in CSS pixels, from their
 * top-left corners): the stage point turned back and mirrored back about the centre.
 */
export function stageToCanvas(o: Orientation, stage: { width: number; height: number }, p: { x: number; y: number }): { x: number; y: number } {
  const box = canvasBox(o, stage.width, stage.height)
  let dx = p.x - stage.width / 2
  let dy = p.y - stage.height / 2
  // Undo the turn: rotate by −90° per quarter turn.
  for (let i = 0; i < o.quarterTurns; i++) [dx, dy] = [dy, -dx]
  if (o.flipped) dx = -dx
  return { x: dx + box.width / 2, y: dy + box.height / 2 }
}

/** The point of the stage where a point of the camera's screen is shown (inverse of `stageToCanvas`). */
export function canvasToStage(o: Orientation, stage: { width: number; height: number }, p: { x: number; y: number }): { x: number; y: number } {
  const box = canvasBox(o, stage.width, stage.height)
  let dx = p.x - box.width / 2
  let dy = p.y - box.height / 2
  if (o.flipped) dx = -dx
  for (let i = 0; i < o.quarterTurns; i++) [dx, dy] = [-dy, dx]
  return { x: dx + stage.width / 2, y: dy + stage.height / 2 }
}
