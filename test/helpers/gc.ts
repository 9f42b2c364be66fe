import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'

/** A garbage-collector handle without --expose-gc (vitest's flags and config are not ours to change). */
export function collector(): () => void {
  setFlagsFromString('--expose-gc')
  const gc = runInNewContext('gc') as () => void
  return () => {
    gc()
    gc()
  }
}
