/**
 * No module of src/ imports itself back, through any chain of relative imports, type-only ones
 * included (issue 12: "no import cycles"). Imports are read from the source text: `import … from`,
 * `export … from` and `import('…')` with a relative specifier.
 */
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'
import { SRC, importGraph } from '../helpers/sourceImports'

/** Every cycle found by a depth-first walk, each as the chain of modules that closes it. */
function cycles(graph: Map<string, string[]>): string[][] {
  const found: string[][] = []
  const state = new Map<string, 'open' | 'done'>()
  const stack: string[] = []
  const visit = (node: string): void => {
    state.set(node, 'open')
    stack.push(node)
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'open') found.push([...stack.slice(stack.indexOf(next)), next])
      else if (!state.has(next)) visit(next)
    }
    stack.pop()
    state.set(node, 'done')
  }
  for (const node of graph.keys()) if (!state.has(node)) visit(node)
  return found
}

describe('imports of src/', () => {
  it('form no cycle', () => {
    const graph = importGraph(SRC)
    expect(graph.size).toBeGreaterThan(100)
    // The reader sees imports: the renderer's entry imports its bridge, a known edge.
    expect(graph.get(join(SRC, 'renderer/main.ts'))).toContain(join(SRC, 'renderer/bridge/index.ts'))
    const found = cycles(graph).map((cycle) => cycle.map((f) => relative(SRC, f)).join(' → '))
    expect(found).toEqual([])
  })

  it('would see one', () => {
    const a = '/x/a.ts'
    const b = '/x/b.ts'
    expect(cycles(new Map([[a, [b]], [b, [a]]]))).toEqual([[a, b, a]])
    expect(cycles(new Map([[a, [b]], [b, []]]))).toEqual([])
  })
})
