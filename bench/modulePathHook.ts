/**
 * Outside Vite, `x?modulePath` imports mean nothing: this maps them to the file's own path, as the
 * electron-vite build does (and the pool starts `.ts` workers through tsx). A suite calls
 * `registerModulePathHook()` first, then imports the modules under test dynamically (static
 * imports are linked before any code of the suite runs).
 */
import { register } from 'node:module'

const HOOK = `
import { fileURLToPath } from 'node:url'
export async function resolve(specifier, context, next) {
  if (!specifier.endsWith('?modulePath')) return next(specifier, context)
  const target = await next(specifier.slice(0, -'?modulePath'.length), context)
  return { url: 'data:text/javascript,export default ' + encodeURIComponent(JSON.stringify(fileURLToPath(target.url))), shortCircuit: true }
}`

let registered = false

/** Installs the resolve hook once per process. */
export function registerModulePathHook(): void {
  if (registered) return
  registered = true
  register('data:text/javascript,' + encodeURIComponent(HOOK))
}
