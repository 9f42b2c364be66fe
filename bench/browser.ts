/**
 * The Chromium the browser benches drive, and how: Debian's (or TESSERA_CHROMIUM), headless, a
 * 1280×800 window, in two compositing modes — GPU compositing emulated by SwiftShader through ANGLE
 * (what a desktop with a GPU does; goals are judged there) and plain software compositing.
 */
export const WINDOW = { width: 1280, height: 800 }
export const CHROMIUM = process.env.TESSERA_CHROMIUM ?? '/usr/bin/chromium'
/** Flags of every run: no sandbox (root on CI), nothing reaching for the network, WebGL through SwiftShader, precise memory figures. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--enable-unsafe-swiftshader',
  '--enable-precise-memory-info'
]
export type Mode = 'gpu' | 'software'
/** Flags of each compositing mode, added to CHROMIUM_ARGS. */
export const MODE_ARGS: Record<Mode, string[]> = { gpu: ['--use-angle=swiftshader', '--use-gl=angle', '--ignore-gpu-blocklist'], software: [] }
