/**
 * A service's error in XML: WMS's `ServiceExceptionReport` (1.1.1 and 1.3.0) and OWS's
 * `ExceptionReport` (WMTS). Its words become the tile's or the layer's error, never a picture.
 */
import { type XmlElement, attribute, childText, children, parseXml, textOf } from './xml'

/** True when a body looks like XML (its first non-blank character is '<', a byte-order mark allowed). */
export function looksLikeXml(body: Uint8Array): boolean {
  const head = Buffer.from(body.subarray(0, 64)).toString('utf8').replace(/^\uFEFF/, '').trimStart()
  return head.startsWith('<')
}

/** The exception's text ("LayerNotDefined: msWMSLoadGetMapParams(): WMS server error. Invalid layer(s) given…"), or null when `text` is not an exception report. */
export function serviceExceptionText(text: string): string | null {
  let parsed: { name: string; root: XmlElement }
  try {
    parsed = parseXml(text)
  } catch {
    return null
  }
  const { name, root } = parsed
  if (name === 'ServiceExceptionReport') {
    const words = children(root, 'ServiceException').map((e) => withCode(attribute(e, 'code'), textOf(e)))
    return words.join('; ') || 'a ServiceExceptionReport without text'
  }
  if (name === 'ExceptionReport') {
    const words = children(root, 'Exception').map((e) => withCode(attribute(e, 'exceptionCode'), children(e, 'ExceptionText').map(textOf).join(' ') || childText(e, 'ExceptionText')))
    return words.join('; ') || 'an ExceptionReport without text'
  }
  return null
}

function withCode(code: string | undefined, text: string): string {
  const words = text.replace(/\s+/g, ' ').trim()
  return code ? `${code}: ${words}` : words
}
