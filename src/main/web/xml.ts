/**
 * Capabilities documents as a small element tree: fast-xml-parser reads the text (entities,
 * CDATA, a DOCTYPE's internal subset as MapServer's WMS 1.1.1 writes it), namespace prefixes are
 * dropped (`ows:Title`, `wmts:Layer` and `Title` are one name to the readers, as in OpenLayers'
 * parsers), and every element is a list, so that a reader never guesses whether one or many came.
 */
import { XMLParser } from 'fast-xml-parser'

/** One element: its children by name (each a list), its attributes under '@', its text under '#text'. */
export type XmlElement = { readonly [name: string]: unknown }

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  attributesGroupName: '@',
  removeNSPrefix: true,
  isArray: (_name, _path, _leaf, isAttribute) => !isAttribute,
  textNodeName: '#text',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true
})

/** The root element of `text` and its name; throws an Error saying why when `text` is not XML. */
export function parseXml(text: string): { name: string; root: XmlElement } {
  let document: Record<string, unknown>
  try {
    document = parser.parse(text, true) as Record<string, unknown>
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    throw new Error(`it is not well-formed XML (${reason.split('\n')[0]})`)
  }
  const name = Object.keys(document).find((key) => !key.startsWith('?') && !key.startsWith('!') && key !== '#text')
  if (!name) throw new Error('it is not an XML document (no root element)')
  return { name, root: asElement((document[name] as unknown[])[0]) }
}

/** A child list entry as an element: a text-only element (`<Name>x</Name>`) comes as its string. */
function asElement(value: unknown): XmlElement {
  if (typeof value === 'string') return { '#text': value }
  if (value && typeof value === 'object') return value as XmlElement
  return {}
}

/** The children of `element` named `name` (any namespace prefix), in document order. */
export function children(element: XmlElement | undefined, name: string): XmlElement[] {
  const list = element?.[name]
  return Array.isArray(list) ? list.map(asElement) : []
}

/** The first child named `name`, or undefined. */
export function child(element: XmlElement | undefined, name: string): XmlElement | undefined {
  return children(element, name)[0]
}

/** The text of `element` (trimmed), or '' when it has none. */
export function textOf(element: XmlElement | undefined): string {
  const text = element?.['#text']
  return typeof text === 'string' ? text : typeof text === 'number' ? String(text) : ''
}

/** The text of the first child named `name`, or ''. */
export function childText(element: XmlElement | undefined, name: string): string {
  return textOf(child(element, name))
}

/** The texts of every child named `name`, empty ones left out. */
export function childTexts(element: XmlElement | undefined, name: string): string[] {
  return children(element, name).map(textOf).filter((text) => text !== '')
}

/** Attribute `name` of `element` (namespace prefix dropped: `xlink:href` is 'href'), or undefined. */
export function attribute(element: XmlElement | undefined, name: string): string | undefined {
  const attributes = element?.['@'] as Record<string, unknown> | undefined
  const value = attributes?.[name]
  return typeof value === 'string' ? value : undefined
}

/** A finite number written in `text`, or null. */
export function numberOf(text: string | undefined): number | null {
  if (text === undefined || text.trim() === '') return null
  const value = Number(text)
  return Number.isFinite(value) ? value : null
}
