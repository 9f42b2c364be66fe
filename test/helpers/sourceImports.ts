/**
 * The relative imports of the modules of src/, read from their source text: `import … from`,
 * `export … from` and `import('…')`, type-only ones and `?modulePath` ones included. For tests
 * that state architecture rules (no cycles, no arrow upward).
 */
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'

export const SRC = resolve(import.meta.dirname, '../../src')

/** Every TypeScript module under `dir` (no `.d.ts`). */
export function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return sources(path)
    return /\.ts$/.test(name) && !name.endsWith('.d.ts') ? [path] : []
  })
}

/** The module a relative specifier names (`./x` → `./x.ts` or `./x/index.ts`), or null (a package, an asset). */
export function target(from: string, specifier: string): string | null {
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

/** The modules `path` imports. */
export function imports(path: string): string[] {
  const text = readFileSync(path, 'utf8')
  const found = new Set<string>()
  for (const match of text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)) {
    const module = target(path, match[1] ?? match[2]!)
    if (module) found.add(module)
  }
  return [...found]
}

/** The import graph of every module under `dir`: module → the modules it imports. */
export function importGraph(dir: string): Map<string, string[]> {
  return new Map(sources(dir).map((file) => [file, imports(file)]))
}
