/**
 * The pool is the floor below the raster sources (host → transport → service → raster → pool →
 * loader): no module under src/main/pool imports one under src/main/raster, directly, as a type,
 * or as a worker script (`?modulePath`). The pool knows jobs; what they compute is raster's
 * (issue 20: `pool/decode.worker.ts` imported `raster/decode/runJob`).
 */
import { join, relative, sep } from 'node:path'
import { describe, expect, it } from 'vitest'
import { SRC, importGraph } from '../helpers/sourceImports'

/** Every import from a module under `floor` of one under `above`, as "from → to" relative to `root`. */
function upwardImports(graph: Map<string, string[]>, root: string, floor: string, above: string): string[] {
  const under = (file: string, dir: string): boolean => file.startsWith(join(root, dir) + sep)
  return [...graph]
    .filter(([file]) => under(file, floor))
    .flatMap(([file, targets]) => targets.filter((to) => under(to, above)).map((to) => `${relative(root, file)} → ${relative(root, to)}`))
}

describe('imports of src/main/pool', () => {
  it('name nothing under src/main/raster', () => {
    const graph = importGraph(SRC)
    expect([...graph.keys()].filter((file) => file.startsWith(join(SRC, 'main/pool') + sep)).length).toBeGreaterThan(3)
    // The reader sees a worker script imported by `?modulePath`, the form the upward arrow took.
    expect(graph.get(join(SRC, 'main/raster/decodePools.ts'))).toContain(join(SRC, 'main/raster/decode/decode.worker.ts'))
    expect(upwardImports(graph, SRC, 'main/pool', 'main/raster')).toEqual([])
  })

  it('would see one', () => {
    const root = '/x/src'
    const graph = new Map([
      ['/x/src/main/pool/decode.worker.ts', ['/x/src/main/raster/decode/runJob.ts', '/x/src/main/pool/spawnWorker.ts']],
      ['/x/src/main/pool/spawnWorker.ts', []],
      ['/x/src/main/raster/openRaster.ts', ['/x/src/main/pool/WorkerPool.ts']],
      ['/x/src/main/poolside/a.ts', ['/x/src/main/raster/b.ts']]
    ])
    expect(upwardImports(graph, root, 'main/pool', 'main/raster')).toEqual([`main/pool/decode.worker.ts → main/raster/decode/runJob.ts`])
  })
})
