// When an OpenLayers map is sharp, for the benches' OpenLayers pages: a `rendercomplete` counts
// only if the frame it completes shows the view as it is set now. OpenLayers dispatches the event
// from a timeout after a frame; a move made between that frame and its timeout (the driver's jump,
// the last step of a glide) gets the event of the frame before it, which drew the old view with
// nothing left to load, and was counted as the new view sharp before its tiles were even asked for
// (a jump of the web walk "sharp" in 39 ms, its tiles requested 26–99 ms after the move).

/** Calls `onComplete()` at each rendercomplete of `map` whose frame shows its view's current centre and resolution. */
export function onRenderCompleteOfCurrentView(map, onComplete) {
  map.on('rendercomplete', (event) => {
    const view = map.getView()
    const shown = event.frameState?.viewState
    const center = view.getCenter()
    if (!shown || !center) return
    if (shown.center[0] !== center[0] || shown.center[1] !== center[1] || shown.resolution !== view.getResolution()) return
    onComplete()
  })
}
