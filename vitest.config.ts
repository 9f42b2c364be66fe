import { resolve, dirname } from 'node:path'
import { defineConfig, type Plugin } from 'vitest/config'

/**
 * electron-vite bundles `import path from './x.worker?modulePath'` into a separate chunk and gives
 * its path. Under Vitest there is no bundle: resolve to the TypeScript source itself; the pool
 * starts `.ts` workers through tsx (see src/main/pool/spawnWorker.ts).
 */
function modulePathForTests(): Plugin {
  return {
    name: 'tessera:module-path-for-tests',
    enforce: 'pre',
    async resolveId(source, importer) {
      if (!source.endsWith('?modulePath') || !importer) return null
      const bare = source.slice(0, -'?modulePath'.length)
      const resolved = await this.resolve(bare, importer, { skipSelf: true })
      const file = resolved?.id ?? resolve(dirname(importer), bare)
      return `\0module-path:${file}`
    },
    load(id) {
      if (!id.startsWith('\0module-path:')) return null
      return `export default ${JSON.stringify(id.slice('\0module-path:'.length))}`
    }
  }
}

export default defineConfig({
  plugins: [modulePathForTests()],
  test: {
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    reporters: ['default']
  }
})
