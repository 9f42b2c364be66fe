import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'

// Main process: two entries share the same TextureService. `index` is the Electron app;
// `serve` is the Node host behind `npm run serve` (no Electron import anywhere under it).
// The decode worker (src/main/raster/decode/decode.worker.ts) is bundled as its own chunk through
// the `?modulePath` import of src/main/raster/decodePools.ts, which hands the pools its path, beside
// the chunk that imports it (out/main/chunks): the same in dev, the built app and `npm run serve`.
export default defineConfig({
  main: {
    build: {
      target: 'node20',
      rollupOptions: {
        input: {
          index: resolve('src/main/index.ts'),
          serve: resolve('src/main/serve.ts')
        },
        external: ['sharp', 'ws', 'geotiff']
      }
    }
  },
  preload: {
    build: {
      // A sandboxed preload cannot be an ES module.
      rollupOptions: {
        input: { index: resolve('src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' }
      }
    }
  },
  renderer: {
    root: resolve('src/renderer'),
    build: {
      target: 'es2022',
      rollupOptions: { input: { index: resolve('src/renderer/index.html') } }
    }
  }
})
