/**
 * What draws the view: the WebGL renderer's name, and whether it is a software rasteriser. Without
 * a GPU (a VM, a remote desktop, a blocklisted driver) Chromium draws WebGL with SwiftShader on the
 * CPU — the same cores that receive and decode tiles — and every frame costs tens of milliseconds:
 * a person who sees a sluggish view should be told why.
 */

export interface GraphicsInfo {
  /** The unmasked renderer string when the browser gives it, else the masked one. */
  renderer: string
  software: boolean
}

/** Renderer names of software rasterisers (Chromium's SwiftShader, Mesa's llvmpipe/softpipe, Windows' WARP). */
const SOFTWARE = /swiftshader|llvmpipe|softpipe|software|basic render|warp/i

export function isSoftwareRenderer(name: string): boolean {
  return SOFTWARE.test(name)
}

/** Reads the renderer's name from a WebGL context. */
export function graphicsInfoOf(gl: WebGLRenderingContext | WebGL2RenderingContext): GraphicsInfo {
  const debug = gl.getExtension('WEBGL_debug_renderer_info')
  const name = String((debug ? gl.getParameter(debug.UNMASKED_RENDERER_WEBGL) : null) ?? gl.getParameter(gl.RENDERER) ?? 'unknown')
  return { renderer: name, software: isSoftwareRenderer(name) }
}
