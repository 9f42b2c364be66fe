/** What the title, toolbar and status bar say of the files shown (`ShownState`). Pure. */
import { browsePosition, windowTitle, type ViewMode } from '../ui/browsing'
import type { ShownState } from './types'

/**
 * The state shown for layers of unique display `names` (bottom first), shown as `mode`, the active
 * one (the one browsed, else the top visible one) at `activeIndex` (-1: none).
 */
export function shownState(names: readonly string[], mode: ViewMode, activeIndex: number): ShownState {
  const active = activeIndex >= 0 && activeIndex < names.length ? { name: names[activeIndex]!, index: activeIndex, count: names.length } : null
  const position = active && mode === 'browse' ? browsePosition(active.index, active.count, active.name) : ''
  return {
    layerCount: names.length,
    mode,
    canBrowse: names.length > 1,
    title: windowTitle(active, mode),
    position,
    fileLabel: active ? (mode === 'browse' ? position : active.name) : ''
  }
}
