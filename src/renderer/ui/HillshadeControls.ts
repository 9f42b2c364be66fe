/**
 * The hillshade style of a single-band value layer, in its display controls: Stretch or Hillshade,
 * and for a hillshade the light's azimuth and altitude, the z-factor, multidirectional (gdaldem's
 * four lights) and shade × colour map (the stretch and colour map above, darkened by the shade).
 * A field that does not parse is said beside it and changes nothing.
 */
import { DEFAULT_HILLSHADE, type HillshadeStyle } from '../view/hillshade'
import { element } from './format'

/** The controls; `apply(null)` turns the hillshade off. */
export function hillshadeControls(style: HillshadeStyle | undefined, apply: (style: HillshadeStyle | null) => void): HTMLElement {
  let current: HillshadeStyle = { ...(style ?? DEFAULT_HILLSHADE) }
  const root = element('div', 'hillshade', undefined, { 'data-testid': 'hillshade' })
  const mode = element('select', 'display-style', undefined, { 'aria-label': 'Display style', 'data-testid': 'display-style' })
  mode.append(new Option('Stretch', 'stretch', false, !style), new Option('Hillshade', 'hillshade', false, Boolean(style)))
  const modeRow = element('label', 'layer-row')
  modeRow.append(element('span', 'row-label', 'Style'), mode)

  const fields = element('div', 'hillshade-fields')
  const number = (name: keyof HillshadeStyle & string, label: string, attrs: Record<string, string>): HTMLInputElement => {
    const input = element('input', 'hillshade-number', undefined, {
      type: 'number', value: String(current[name]), 'aria-label': `Hillshade ${label.toLowerCase()}`, 'data-testid': `hillshade-${name}`, ...attrs
    })
    const row = element('label', 'layer-row')
    row.append(element('span', 'row-label', label), input)
    fields.append(row)
    return input
  }
  const azimuth = number('azimuth', 'Azimuth', { min: '0', max: '360', step: '15', title: 'Direction of the light, degrees clockwise from north' })
  const altitude = number('altitude', 'Altitude', { min: '0', max: '90', step: '5', title: 'Height of the light above the horizon, degrees' })
  const zFactor = number('zFactor', 'Z-factor', { min: '0', step: '0.5', title: 'Vertical exaggeration' })
  const check = (name: 'multidirectional' | 'withColour', label: string, title: string): HTMLInputElement => {
    const box = element('input', 'hillshade-check', undefined, { type: 'checkbox', 'data-testid': `hillshade-${name}` })
    box.checked = current[name]
    const row = element('label', 'layer-row', undefined, { title })
    row.append(box, element('span', undefined, label))
    fields.append(row)
    return box
  }
  const multi = check('multidirectional', 'Multidirectional', 'Four lights (225°, 270°, 315°, 360°) weighted by aspect, as gdaldem -multidirectional')
  const colour = check('withColour', 'Shade × colour map', 'The stretched colour map, darkened by the shade')
  const error = element('p', 'stretch-error', '', { role: 'alert', 'data-testid': 'hillshade-error' })
  error.hidden = true
  fields.append(error)
  fields.hidden = !style
  azimuth.disabled = current.multidirectional

  const read = (): HillshadeStyle | null => {
    const raw = { azimuth: azimuth.value, altitude: altitude.value, zFactor: zFactor.value }
    const bad = Object.entries(raw).find(([, v]) => v.trim() === '' || !Number.isFinite(Number(v)))
    const values = { azimuth: Number(raw.azimuth), altitude: Number(raw.altitude), zFactor: Number(raw.zFactor) }
    if (bad || values.altitude < 0 || values.altitude > 90) {
      error.textContent = bad ? `Expected a number for ${bad[0]}` : `Expected an altitude within 0–90° but received ${altitude.value}`
      error.hidden = false
      return null
    }
    error.hidden = true
    return { ...values, multidirectional: multi.checked, withColour: colour.checked }
  }
  const changed = (): void => {
    const next = read()
    if (!next) return
    current = next
    azimuth.disabled = current.multidirectional
    if (mode.value === 'hillshade') apply(current)
  }
  for (const input of [azimuth, altitude, zFactor, multi, colour]) input.addEventListener('change', changed)
  mode.addEventListener('change', () => {
    const on = mode.value === 'hillshade'
    fields.hidden = !on
    apply(on ? current : null)
  })
  root.append(modeRow, fields)
  return root
}
