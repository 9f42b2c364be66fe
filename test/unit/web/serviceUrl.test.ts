/** A capabilities document's request URLs (web/serviceUrl.ts): resolved, and moved to https when they are its own origin written as http. */
import { describe, expect, it } from 'vitest'
import { resolveServiceUrl } from '../../../src/main/web/serviceUrl'

describe('resolveServiceUrl', () => {
  it('resolves a relative URL against the document', () => {
    expect(resolveServiceUrl('/cgi/wms?map=a&', 'https://maps.example/service?REQUEST=GetCapabilities')).toBe('https://maps.example/cgi/wms?map=a&')
  })

  it('moves the document’s own host written as http to https: same port, or port 80 where the document came from 443', () => {
    expect(resolveServiceUrl('http://127.0.0.1:8443/wms?', 'https://127.0.0.1:8443/wms?SERVICE=WMS')).toBe('https://127.0.0.1:8443/wms?')
    expect(resolveServiceUrl('http://maps.example/wms?', 'https://maps.example/wms?SERVICE=WMS')).toBe('https://maps.example/wms?')
    expect(resolveServiceUrl('http://maps.example:80/wms?', 'https://maps.example/wms?SERVICE=WMS')).toBe('https://maps.example/wms?')
  })

  it('leaves other hosts, other ports and documents read over http as written', () => {
    expect(resolveServiceUrl('http://tiles.example/wms?', 'https://maps.example/wms')).toBe('http://tiles.example/wms?')
    expect(resolveServiceUrl('http://maps.example:8080/wms?', 'https://maps.example/wms')).toBe('http://maps.example:8080/wms?')
    expect(resolveServiceUrl('http://maps.example/wms?', 'https://maps.example:8443/wms')).toBe('http://maps.example/wms?')
    expect(resolveServiceUrl('http://maps.example/wms?', 'http://maps.example/wms')).toBe('http://maps.example/wms?')
    expect(resolveServiceUrl('https://maps.example/wms?', 'http://maps.example/wms')).toBe('https://maps.example/wms?')
  })
})
