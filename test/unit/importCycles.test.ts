/**
 * No module of src/ imports itself back, through any chain of relative imports, type-only ones
 * included (issue 12: "no import cycles"). Imports are read from the source text: `import … from`,
 * `export … from` and `import('…')` with a relative specifier.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

const SRC = resolve(__dirname, '../../src')

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return sources(path)
    return /\.ts$/.test(name) && !name.endsWith('.d.ts') ? [path] : []
  })
}

/** The module a relative specifier names (`./x` → `./x.ts` or `./x/index.ts`), or null (a package, an asset). */
function target(from: string, specifier: string): string | null {
  if (!specifier.startsWith('.')) return null
  const base = resolve(dirname(from), specifier.replace(/\?.*$/, ''))
  for (const candidate of [base, `${base}.ts`, join(base, 'index.ts')]) {
    try {
      if (statSync(candidate).isFile() && candidate.endsWith('.ts')) return candidate
    } catch {
      // not this one
    }
  }
  return null
}

function imports(path: string): string[] {
  const text = readFileSync(path, 'utf8')
  const found = new Set<string>()
  for (const match of text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)) {
    const module = target(path, match[1] ?? match[2]!)
    if (module) found.add(module)
  }
  return [...found]
}

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
    const files = sources(SRC)
    expect(files.length).toBeGreaterThan(100)
    const graph = new Map(files.map((file) => [file, imports(file)]))
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
