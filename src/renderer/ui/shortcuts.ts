/**
 * Every keyboard shortcut and pointer gesture of the window, said once: the help overlay lists this
 * table, and the keyboard dispatcher (Keyboard.ts) acts on the entries that name an action. The
 * camera's own keys (Camera.ts) are listed here for people, with no action of ours.
 */

/** What a shortcut does, for the dispatcher; absent for keys the camera handles itself and for gestures. */
export type ShortcutAction =
  | 'open'
  | 'openUrl'
  | 'addMapLayer'
  | 'previous'
  | 'next'
  | 'toggleBrowse'
  | 'rotateClockwise'
  | 'rotateCounterClockwise'
  | 'flip'
  | 'fullscreen'
  | 'help'
  | 'escape'
  | 'exportPng'
  | 'toggleSwipe'
  | 'copyReadout'
  | 'toggleSidebar'
  | 'layerUp'
  | 'layerDown'
  | 'fit'
  | 'actualPixels'
  | 'zoomIn'
  | 'zoomOut'
  | 'panLeft'
  | 'panRight'
  | 'panUp'
  | 'panDown'
  | 'toolProfile'
  | 'toolDistance'
  | 'toolArea'
  | 'finishDrawing'

export interface Shortcut {
  /** Keys as people read them ("Ctrl+O", "← / →"). */
  keys: string
  description: string
  group: 'Files' | 'View' | 'Layers' | 'Tools' | 'Window'
  /** KeyboardEvent matches: `key` (case-sensitive as the event gives it) and modifiers; empty for gestures. */
  match: ReadonlyArray<{ key: string; ctrl?: boolean; alt?: boolean; shift?: boolean }>
  action?: ShortcutAction
  /** Only when several files were opened together and the window shows one at a time. */
  whenBrowsing?: boolean
}

export const SHORTCUTS: readonly Shortcut[] = [
  { keys: 'Ctrl+O', description: 'Open files', group: 'Files', match: [{ key: 'o', ctrl: true }, { key: 'O', ctrl: true }], action: 'open' },
  // Before Ctrl+L: its 'L' (Caps Lock) would take Ctrl+Shift+L too.
  { keys: 'Ctrl+Shift+L', description: 'Add a map layer: WMS, WMTS, XYZ, or a basemap', group: 'Files', match: [{ key: 'L', ctrl: true, shift: true }, { key: 'l', ctrl: true, shift: true }], action: 'addMapLayer' },
  { keys: 'Ctrl+L', description: 'Open a URL: a GeoTIFF or COG on a server (a URL dropped or pasted on the window opens too)', group: 'Files', match: [{ key: 'l', ctrl: true }, { key: 'L', ctrl: true }], action: 'openUrl' },
  { keys: 'PageUp / PageDown', description: 'Previous / next file, shown alone', group: 'Files', match: [{ key: 'PageUp' }], action: 'previous' },
  { keys: 'PageDown', description: 'Next file', group: 'Files', match: [{ key: 'PageDown' }], action: 'next' },
  { keys: '← / →', description: 'Previous / next file while browsing one at a time', group: 'Files', match: [{ key: 'ArrowLeft' }], action: 'previous', whenBrowsing: true },
  { keys: '→', description: 'Next file while browsing', group: 'Files', match: [{ key: 'ArrowRight' }], action: 'next', whenBrowsing: true },
  { keys: 'b', description: 'Browse one at a time / stack as layers', group: 'Files', match: [{ key: 'b' }], action: 'toggleBrowse' },
  { keys: 'w', description: 'Swipe: the selected layer left of a divider, the layers under it right (drag the divider)', group: 'Layers', match: [{ key: 'w' }], action: 'toggleSwipe' },
  { keys: 'Ctrl+S', description: 'Save the view as PNG', group: 'Files', match: [{ key: 's', ctrl: true }, { key: 'S', ctrl: true }], action: 'exportPng' },
  { keys: 'c', description: 'Copy the coordinates and value under the cursor', group: 'Files', match: [{ key: 'c' }], action: 'copyReadout' },
  { keys: 'Drag', description: 'Pan', group: 'View', match: [] },
  { keys: '← ↑ → ↓', description: 'Pan (when not browsing one at a time)', group: 'View', match: [{ key: 'ArrowLeft' }], action: 'panLeft' },
  { keys: '→ pan', description: 'Pan right', group: 'View', match: [{ key: 'ArrowRight' }], action: 'panRight' },
  { keys: '↑ pan', description: 'Pan up', group: 'View', match: [{ key: 'ArrowUp' }], action: 'panUp' },
  { keys: '↓ pan', description: 'Pan down', group: 'View', match: [{ key: 'ArrowDown' }], action: 'panDown' },
  { keys: 'Wheel', description: 'Zoom at the cursor', group: 'View', match: [] },
  { keys: '+ / −', description: 'Zoom in / out', group: 'View', match: [{ key: '+' }, { key: '=' }], action: 'zoomIn' },
  { keys: '−', description: 'Zoom out', group: 'View', match: [{ key: '-' }, { key: '_' }], action: 'zoomOut' },
  { keys: 'Double-click / Shift+double-click', description: 'Zoom in / out at the cursor', group: 'View', match: [] },
  { keys: '0', description: 'Fit what is shown in the window', group: 'View', match: [{ key: '0' }], action: 'fit' },
  { keys: '1', description: 'Actual pixels (100 %)', group: 'View', match: [{ key: '1' }], action: 'actualPixels' },
  { keys: 'r', description: 'Rotate 90° clockwise', group: 'View', match: [{ key: 'r' }], action: 'rotateClockwise' },
  { keys: 'Shift+R', description: 'Rotate 90° counter-clockwise', group: 'View', match: [{ key: 'R', shift: true }], action: 'rotateCounterClockwise' },
  { keys: 'h', description: 'Flip left to right', group: 'View', match: [{ key: 'h' }], action: 'flip' },
  { keys: 'f / F11', description: 'Full screen', group: 'Window', match: [{ key: 'f' }, { key: 'F11' }], action: 'fullscreen' },
  { keys: 's', description: 'Show / hide the sidebar', group: 'Window', match: [{ key: 's' }], action: 'toggleSidebar' },
  { keys: 'Alt+↑ / Alt+↓', description: 'Move the selected layer up / down', group: 'Layers', match: [{ key: 'ArrowUp', alt: true }], action: 'layerUp' },
  { keys: 'Alt+↓', description: 'Move the selected layer down', group: 'Layers', match: [{ key: 'ArrowDown', alt: true }], action: 'layerDown' },
  { keys: 'Alt+click the eye', description: 'Show this layer alone (again: show all)', group: 'Layers', match: [] },
  { keys: 'p', description: 'Profile along a line (again: leave the tool)', group: 'Tools', match: [{ key: 'p' }], action: 'toolProfile' },
  { keys: 'm', description: 'Measure a distance (again: leave the tool)', group: 'Tools', match: [{ key: 'm' }], action: 'toolDistance' },
  { keys: 'Shift+M', description: 'Measure an area (again: leave the tool)', group: 'Tools', match: [{ key: 'M', shift: true }], action: 'toolArea' },
  { keys: 'Click', description: 'With a tool: add a point (drag still pans)', group: 'Tools', match: [] },
  { keys: 'Double-click / Enter', description: 'With a tool: finish the line or polygon', group: 'Tools', match: [{ key: 'Enter' }], action: 'finishDrawing' },
  { keys: 'Esc ', description: 'With a tool: cancel the line being drawn; again: leave the tool', group: 'Tools', match: [] },
  { keys: '?', description: 'This help', group: 'Window', match: [{ key: '?', shift: true }, { key: '?' }], action: 'help' },
  { keys: 'Esc', description: 'Close the help, dismiss the messages', group: 'Window', match: [{ key: 'Escape' }], action: 'escape' }
]

/** The rows the help overlay shows: one per shortcut, the second half of a pair folded into the first ("PageUp / PageDown"). */
export function helpRows(shortcuts: readonly Shortcut[] = SHORTCUTS): Shortcut[] {
  const paired = new Set(['PageDown', '→', 'Alt+↓', '−', '→ pan', '↑ pan', '↓ pan'])
  return shortcuts.filter((s) => !paired.has(s.keys))
}

/**
 * The shortcut a key event triggers, or null. `browsing` enables the keys that only browse.
 * Modifiers must match exactly (Shift is ignored for keys whose character already says it, like "?").
 */
export function shortcutFor(
  event: { key: string; ctrlKey: boolean; metaKey: boolean; altKey: boolean; shiftKey: boolean },
  browsing: boolean,
  shortcuts: readonly Shortcut[] = SHORTCUTS
): Shortcut | null {
  const ctrl = event.ctrlKey || event.metaKey
  for (const shortcut of shortcuts) {
    if (!shortcut.action || (shortcut.whenBrowsing && !browsing)) continue
    for (const m of shortcut.match) {
      if (m.key !== event.key || !!m.ctrl !== ctrl || !!m.alt !== event.altKey) continue
      if (m.shift !== undefined && m.shift !== event.shiftKey) continue
      if (m.shift === undefined && event.shiftKey && /^[a-z0-9]$/.test(m.key)) continue
      return shortcut
    }
  }
  return null
}
