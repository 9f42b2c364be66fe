// In-page adapter of bench/view/driver.js for Tessera, over `window.__tesseraDiagnostics`
// (the page is opened with `?diagnostics`). Plain JavaScript, injected as is.
(() => {
  const d = window.__tesseraDiagnostics
  window.__benchAdapter = {
    setView: (view) => d.setView(view),
    isSharp: () => d.stats().sharp,
    textureBytes: () => d.stats().textureBytes,
    /**
     * decoded: tiles the service decoded (sent, or withdrawn before they were sent); displayed: tiles
     * the renderer drew at least once; withdrawn: decoded tiles a withdrawal dropped from the host's send queue.
     */
    async counters() {
      const s = d.stats()
      const service = await d.service()
      return { decoded: service.done, displayed: s.displayed, withdrawn: service.withdrawnBeforeSent ?? 0, busy: s.pending > 0 || service.pending + service.active > 0 }
    }
  }
})()
