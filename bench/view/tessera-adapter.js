// In-page adapter of bench/view/driver.js for Tessera, over `window.__tesseraDiagnostics`
// (the page is opened with `?diagnostics`). Plain JavaScript, injected as is.
(() => {
  const d = window.__tesseraDiagnostics
  window.__benchAdapter = {
    setView: (view) => d.setView(view),
    isSharp: () => d.stats().sharp,
    textureBytes: () => d.stats().textureBytes,
    /** decoded: tiles the service decoded and sent; displayed: tiles the renderer drew at least once. */
    async counters() {
      const s = d.stats()
      const service = await d.service()
      return { decoded: service.done, displayed: s.displayed, busy: s.pending > 0 || service.pending + service.active > 0 }
    }
  }
})()
