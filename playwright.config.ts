import { existsSync } from 'node:fs'
import { defineConfig } from '@playwright/test'

/** The Chromium to drive: $TESSERA_CHROMIUM, else Debian's /usr/bin/chromium, else Playwright's own (if installed). */
function chromiumExecutable(): string | undefined {
  if (process.env.TESSERA_CHROMIUM) return process.env.TESSERA_CHROMIUM
  return existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined
}

/**
 * End-to-end tests. 'browser': the real renderer in Debian's Chromium (WebGL through SwiftShader)
 * against `npm run serve`. 'electron': the same scenarios in the built app, skipped with the reason
 * "Electron binary not installed" where it is missing. One worker: this runs on two cores.
 */
export default defineConfig({
  testDir: 'test/e2e',
  globalSetup: './test/e2e/globalSetup.ts',
  workers: 1,
  fullyParallel: false,
  reporter: 'list',
  timeout: 180_000,
  expect: { timeout: 30_000 },
  outputDir: 'test-results/output',
  projects: [
    {
      name: 'browser',
      testMatch: /browser\/.*\.spec\.ts$/,
      use: {
        browserName: 'chromium',
        viewport: { width: 1000, height: 700 },
        deviceScaleFactor: 1,
        launchOptions: {
          executablePath: chromiumExecutable(),
          args: [
            '--no-sandbox',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            '--enable-unsafe-swiftshader',
            '--use-angle=swiftshader'
          ]
        }
      }
    },
    {
      name: 'electron',
      testMatch: /electron\/.*\.spec\.ts$/
    }
  ]
})
