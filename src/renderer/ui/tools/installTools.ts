/**
 * The profile and measure tools (issue 23), wired to the view: one tool active at a time (the
 * toolbar's group, p / m / Shift+M); a click on the view adds a point while a drag still pans; a
 * double-click or Enter finishes; Esc cancels the line, and again leaves the tool. The line is kept
 * in world points and drawn over the view at each frame (`DrawingOverlay`); a profile is sampled
 * through the host (`profileData.ts`) and shown in its panel, a measurement in its own.
 */
import type { ServiceCalls } from '../../../shared/calls'
import { messageOf } from '../../../shared/errors'
import { type Point, worldToMap } from '../../../shared/geo/affine'
import { isKnownCrs, toLatLon } from '../../view/map/crs'
import { screenToWorld, worldToScreen } from '../../view/layerView'
import type { Viewer } from '../../view/Viewer'
import type { ViewOrientation } from '../ViewOrientation'
import { shortcutFor } from '../shortcuts'
import { DrawingOverlay, EMPTY_DRAWING, type Drawing } from './DrawingOverlay'
import { MeasurePanel } from './MeasurePanel'
import { type Measurement, type ToLatLon, formatArea, formatLength, measure } from './measure'
import { ProfilePanel } from './ProfilePanel'
import { type Profile, buildProfile, profileLayers } from './profileData'
import { type ToolName, ToolsBar } from './ToolsBar'

export interface ToolsDeps {
  viewer: Viewer
  orientation: ViewOrientation
  /** The element holding the view: clicks on its canvas add points; the panels float in it. */
  stage: HTMLElement
  /** The toolbar's row, where the tools' group goes. */
  toolbar: HTMLElement
  calls: Pick<ServiceCalls, 'sample-values'>
  errors: { show(title: string, cause: string): unknown }
  toast(text: string): void
}

/** A pointer that moved less than this (CSS pixels) between down and up clicked; more, it dragged. */
const CLICK_SLOP = 4
/** A click this close (screen pixels) to the last point adds nothing (the second click of a double-click). */
const SAME_POINT = 4

/** Installs the tools; returns them (for tests and diagnostics). */
export function installTools(deps: ToolsDeps): Tools {
  return new Tools(deps)
}

export class Tools {
  private activeTool: ToolName | null = null
  /** The line's points, in world units of the view's CRS `crsId`. */
  private vertices: Point[] = []
  private finished = false
  private pending: Point | null = null
  private marker: Point | null = null
  private crsId: string | null = null
  private profileRun = 0
  private down: { x: number; y: number; id: number } | null = null
  /** The profile shown in the panel (its samples' world points mark the chart's cursor on the view). */
  private shownProfile: Profile | null = null
  private readonly bar: ToolsBar
  private readonly overlay: DrawingOverlay
  private readonly profilePanel: ProfilePanel
  private readonly measurePanel: MeasurePanel

  constructor(private readonly deps: ToolsDeps) {
    const { stage, viewer } = deps
    this.bar = new ToolsBar(deps.toolbar, (tool) => this.toggle(tool))
    this.overlay = new DrawingOverlay(deps.orientation.canvasHost)
    this.profilePanel = new ProfilePanel(stage, {
      onHover: (index) => this.showMarker(index),
      close: () => this.setTool(null)
    })
    this.measurePanel = new MeasurePanel(stage, () => this.setTool(null))
    deps.orientation.onChange(() => this.redraw())
    stage.addEventListener('pointerdown', (e) => {
      this.down = e.button === 0 && e.target instanceof HTMLCanvasElement ? { x: e.clientX, y: e.clientY, id: e.pointerId } : null
    })
    stage.addEventListener('pointerup', (e) => {
      const down = this.down
      this.down = null
      if (!this.activeTool || !down || down.id !== e.pointerId || Math.hypot(e.clientX - down.x, e.clientY - down.y) > CLICK_SLOP) return
      this.click(e.clientX, e.clientY)
    })
    stage.addEventListener('pointermove', (e) => {
      if (!this.activeTool || this.finished || this.vertices.length === 0) return
      this.pending = e.target instanceof HTMLCanvasElement ? this.worldAt(e.clientX, e.clientY) : null
      this.update()
    })
    // Before the camera's own double-click zoom (on the canvas' host): with a tool it finishes the line.
    stage.addEventListener(
      'dblclick',
      (e) => {
        if (!this.activeTool || !(e.target instanceof HTMLCanvasElement) || e.shiftKey) return
        e.stopPropagation()
        e.preventDefault()
        this.finish()
      },
      { capture: true }
    )
    window.addEventListener('keydown', (e) => this.onKey(e), { capture: true })
    viewer.onFrame(() => this.redraw())
  }

  /** The tool active now, or null. */
  get active(): ToolName | null {
    return this.activeTool
  }

  /** Makes `tool` the active one (null: none), dropping the line of the one before. */
  setTool(tool: ToolName | null): void {
    this.activeTool = tool
    this.clear()
    this.bar.setActive(tool)
    this.deps.stage.classList.toggle('tool-active', tool !== null)
    this.profilePanel.hide()
    this.measurePanel.hide()
    if (tool === 'profile') this.profilePanel.showMessage(this.profileHint())
    if (tool === 'distance' || tool === 'area') this.measurePanel.show(null, tool === 'area', this.measureHint())
  }

  /** Adds a point at a client (window) position, as a click does. */
  click(clientX: number, clientY: number): void {
    const at = this.worldAt(clientX, clientY)
    if (this.finished) this.clear()
    const last = this.vertices.at(-1)
    if (last) {
      const view = this.deps.viewer.view
      const a = worldToScreen(view, last)
      const b = worldToScreen(view, at)
      if (Math.hypot(a.x - b.x, a.y - b.y) < SAME_POINT) return
    }
    this.crsId = this.deps.viewer.viewCrs.id
    this.vertices.push(at)
    this.update()
  }

  /** Ends the line (or polygon): a profile is sampled, a measurement stays on the view. */
  finish(): void {
    const tool = this.activeTool
    if (!tool || this.finished) return
    const needed = tool === 'area' ? 3 : 2
    if (this.vertices.length < needed) {
      this.deps.toast(`Add at least ${needed} points first`)
      return
    }
    this.finished = true
    this.pending = null
    this.update()
    if (tool === 'profile') void this.runProfile()
  }

  /** Cancels the line being drawn, or leaves the tool when there is none. */
  cancel(): void {
    if (this.vertices.length > 0) {
      this.clear()
      this.setTool(this.activeTool)
    } else this.setTool(null)
  }

  private toggle(tool: ToolName): void {
    this.setTool(this.activeTool === tool ? null : tool)
  }

  private clear(): void {
    this.vertices = []
    this.finished = false
    this.pending = null
    this.marker = null
    this.shownProfile = null
    this.profileRun++
    this.redraw()
  }

  private onKey(e: KeyboardEvent): void {
    const target = e.target as HTMLElement | null
    if (target && /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) return
    if (e.key === 'Escape' && this.activeTool) {
      this.cancel()
      return
    }
    const shortcut = shortcutFor(e, false)
    const act = (run: () => void): void => {
      e.preventDefault()
      e.stopPropagation()
      run()
    }
    if (shortcut?.action === 'toolProfile') act(() => this.toggle('profile'))
    else if (shortcut?.action === 'toolDistance') act(() => this.toggle('distance'))
    else if (shortcut?.action === 'toolArea') act(() => this.toggle('area'))
    else if (shortcut?.action === 'finishDrawing' && this.activeTool && !this.finished && this.vertices.length > 0) act(() => this.finish())
  }

  private worldAt(clientX: number, clientY: number): Point {
    const p = this.deps.orientation.clientToCanvas(clientX, clientY)
    return screenToWorld(this.deps.viewer.view, p)
  }

  /** The view's map point → latitude/longitude, when its CRS is known; null otherwise (planar). */
  private latLon(): ToLatLon | null {
    const crs = this.deps.viewer.viewCrs
    if (!crs.georeferenced || !isKnownCrs(crs.id)) return null
    const id = crs.id
    return (p) => toLatLon(id, p.x, p.y)
  }

  /** Map coordinates of a world point: (x, −y) when georeferenced; the bottom layer's pixels otherwise. */
  private mapOf(p: Point): Point {
    return this.deps.viewer.viewCrs.georeferenced ? worldToMap(p) : p
  }

  /** The map points measured now: the line's, and the pointer's while drawing. */
  private measuredPoints(): Point[] {
    const points = this.pending && !this.finished ? [...this.vertices, this.pending] : this.vertices
    return points.map((p) => this.mapOf(p))
  }

  private measurement(): Measurement | null {
    const points = this.measuredPoints()
    return points.length < 2 ? null : measure(points, this.activeTool === 'area', this.latLon())
  }

  /** Measurement and drawing follow the line. */
  private update(): void {
    const tool = this.activeTool
    if (tool === 'distance' || tool === 'area') this.measurePanel.show(this.measurement(), tool === 'area', this.measureHint(), this.measuredPoints())
    else if (tool === 'profile' && !this.finished) this.profilePanel.showMessage(this.profileHint())
    this.redraw()
  }

  private redraw(): void {
    // The world's units change with the view's CRS: a line drawn in another one is gone.
    if (this.vertices.length > 0 && this.deps.viewer.viewCrs.id !== this.crsId) this.setTool(this.activeTool)
    this.overlay.draw(this.drawing(), this.deps.viewer.view, this.deps.orientation.current)
  }

  private drawing(): Drawing {
    if (!this.activeTool || this.vertices.length === 0) return EMPTY_DRAWING
    const area = this.activeTool === 'area'
    const base: Drawing = { ...EMPTY_DRAWING, vertices: this.vertices, pending: this.finished ? null : this.pending, closed: area && this.finished, marker: this.marker }
    if (this.activeTool === 'profile') return base
    const m = this.finished ? this.measurement() : measure(this.vertices.map((p) => this.mapOf(p)), false, this.latLon())
    if (!m) return base
    return {
      ...base,
      segmentLabels: m.segments.map((s) => formatLength(s, m.method)),
      totalLabel: m.segments.length > 1 || (area && this.finished) ? formatLength(m.total, m.method) : null,
      areaLabel: area && this.finished && m.area !== null ? formatArea(m.area, m.method) : null
    }
  }

  private measureHint(): string {
    const polygon = this.activeTool === 'area'
    if (this.finished) return 'Click to start again; Esc to clear.'
    return this.vertices.length === 0 ? `Click to add ${polygon ? 'corners' : 'points'}; drag pans.` : 'Double-click or Enter to finish; Esc to cancel.'
  }

  private profileHint(): string {
    return this.vertices.length === 0 ? 'Click on the view to add points; double-click or Enter to finish; drag pans.' : 'Double-click or Enter to finish; Esc to cancel.'
  }

  private async runProfile(): Promise<void> {
    const run = ++this.profileRun
    const layers = profileLayers(this.deps.viewer.layers)
    if (layers.length === 0) {
      this.profilePanel.showMessage('No visible layer of values to profile: a profile charts elevation, depth and other value rasters.')
      return
    }
    this.profilePanel.showMessage('Sampling…')
    let profile: Profile
    try {
      profile = await buildProfile(this.vertices, layers, (params) => this.deps.calls['sample-values'](params), this.latLon())
    } catch (error) {
      if (run !== this.profileRun) return
      this.profilePanel.showMessage('The profile could not be sampled.')
      this.deps.errors.show('Could not sample the profile', messageOf(error))
      return
    }
    if (run !== this.profileRun) return
    if (!this.deps.viewer.viewCrs.georeferenced) profile = { ...profile, points: profile.world }
    this.profilePanel.show(profile)
    this.shownProfile = profile
  }

  private showMarker(index: number | null): void {
    this.marker = index === null ? null : (this.shownProfile?.world[index] ?? null)
    this.redraw()
  }
}
