/** The stack remembered at a lost connection: layers opened again go back where they were. */
import { describe, expect, it } from 'vitest'
import { ReturningStack } from '../../src/renderer/session/returningStack'

const dem = { name: 'dem.tif' } as unknown as File
const photo = { name: 'photo.jpg' } as unknown as File

describe('ReturningStack', () => {
  it('puts layers opened again (by File, URL or the id they replace) back in their old order, whatever order they come in', () => {
    const stack = new ReturningStack()
    // Bottom first: a web basemap, a command-line file (named again by the host, same id), a dropped DEM, a URL, a dropped photo.
    stack.remember([
      { rasterId: 'web-1', origin: null },
      { rasterId: 'cli-1', origin: null },
      { rasterId: 'r-dem', origin: dem },
      { rasterId: 'r-url', origin: 'https://data.example/ortho.tif' },
      { rasterId: 'r-photo', origin: photo }
    ])
    // They come back on top, the photo first, the basemap last.
    expect(stack.cameBack('n-photo', { origin: photo })).toBe(true)
    expect(stack.order(['cli-1', 'n-photo'])).toEqual(['cli-1', 'n-photo'])
    expect(stack.cameBack('n-url', { origin: 'https://data.example/ortho.tif' })).toBe(true)
    expect(stack.cameBack('n-dem', { origin: dem })).toBe(true)
    expect(stack.order(['cli-1', 'n-photo', 'n-url', 'n-dem'])).toEqual(['cli-1', 'n-dem', 'n-url', 'n-photo'])
    expect(stack.cameBack('n-web', { replaces: 'web-1' })).toBe(true)
    expect(stack.order(['cli-1', 'n-photo', 'n-url', 'n-dem', 'n-web'])).toEqual(['n-web', 'cli-1', 'n-dem', 'n-url', 'n-photo'])
  })

  it('leaves a layer opened since the loss on top, and knows nothing of a File it never saw', () => {
    const stack = new ReturningStack()
    stack.remember([{ rasterId: 'a', origin: dem }, { rasterId: 'b', origin: null }])
    expect(stack.cameBack('new', { origin: photo })).toBe(false)
    expect(stack.cameBack('a2', { origin: dem })).toBe(true)
    expect(stack.order(['b', 'new', 'a2'])).toEqual(['a2', 'b', 'new'])
  })

  it('matches the same File dropped twice one layer each, in order', () => {
    const stack = new ReturningStack()
    stack.remember([{ rasterId: 'first', origin: dem }, { rasterId: 'mid', origin: null }, { rasterId: 'second', origin: dem }])
    expect(stack.cameBack('x', { origin: dem })).toBe(true)
    expect(stack.cameBack('y', { origin: dem })).toBe(true)
    expect(stack.cameBack('z', { origin: dem })).toBe(false)
    expect(stack.order(['mid', 'y', 'x'])).toEqual(['x', 'mid', 'y'])
  })

  it('at a second loss before all came back, remembers those back by their new ids and the others by their old', () => {
    const stack = new ReturningStack()
    stack.remember([{ rasterId: 'a', origin: dem }, { rasterId: 'b', origin: photo }])
    stack.cameBack('a2', { origin: dem })
    // Lost again: 'a2' is on screen, 'b' never came back.
    stack.remember([{ rasterId: 'a2', origin: dem }])
    expect(stack.cameBack('b3', { origin: photo })).toBe(true)
    expect(stack.cameBack('a3', { origin: dem })).toBe(true)
    expect(stack.order(['b3', 'a3'])).toEqual(['a3', 'b3'])
  })
})
