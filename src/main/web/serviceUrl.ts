/**
 * The URL a capabilities document says its requests go to (a WMS GetMap's OnlineResource, a WMTS
 * GetTile or ResourceURL), resolved against the document's own URL. A server behind a proxy that
 * ends TLS for it often does not know it is reached over https, and writes http:// URLs of the
 * host the document came from: asked as written, each of them would be plain HTTP sent to a TLS
 * port (refused) or leave the encrypted connection the person chose. Such a URL, on the very
 * host and port the document came from over https (or on port 80 where the document came from
 * 443), is asked over https: what a browser's mixed-content upgrade does, and what QGIS's
 * "ignore the reported GetMap URL" works around by hand.
 */

/** `href` resolved against `documentUrl`, moved to https when it is the document's own origin written as http. */
export function resolveServiceUrl(href: string, documentUrl: string): string {
  const url = new URL(href, documentUrl)
  const document = new URL(documentUrl)
  if (document.protocol !== 'https:' || url.protocol !== 'http:' || url.hostname !== document.hostname) return url.toString()
  const documentPort = document.port || '443'
  const samePort = url.port === document.port && url.port !== ''
  const defaultPorts = url.port === '' && documentPort === '443'
  if (!samePort && !defaultPorts) return url.toString()
  url.protocol = 'https:'
  url.port = document.port
  return url.toString()
}
