/**
 * GPU stretch of single-band tiles: a mesh per tile whose shader maps the band's value (a
 * 'r32float' texture) linearly from [min, max] to a colour map (a 256×1 lookup texture), no-data
 * and NaN transparent (the texture builder turns masked and no-data samples into NaN).
 * One `Stretch` per layer holds the uniforms and the lookup table its tiles share.
 */
import { BufferImageSource, Geometry, GlProgram, Mesh, Shader, Texture, UniformGroup } from 'pixi.js'
import { colormapTable, type ColormapName } from './colormaps'

/** Vertex shader of the tile meshes (shared with the bands shader). */
export const tileMeshVertex = `#version 300 es
in vec2 aPosition;
in vec2 aUV;
out vec2 vUV;
uniform mat3 uProjectionMatrix;
uniform mat3 uWorldTransformMatrix;
uniform mat3 uTransformMatrix;
void main() {
  mat3 mvp = uProjectionMatrix * uWorldTransformMatrix * uTransformMatrix;
  gl_Position = vec4((mvp * vec3(aPosition, 1.0)).xy, 0.0, 1.0);
  vUV = aUV;
}`

// '#version 300 es' tells Pixi this is GLSL ES 3 (isnan, texture(), out finalColor).
const fragment = `#version 300 es
precision highp float;
precision highp sampler2D;
in vec2 vUV;
out vec4 finalColor;
uniform sampler2D uTexture;
uniform sampler2D uLut;
uniform float uMin;
uniform float uMax;
uniform float uNoData;
uniform float uHasNoData;
uniform vec4 uColor;
void main() {
  float v = texture(uTexture, vUV).r;
  if (isnan(v) || (uHasNoData > 0.5 && v == uNoData)) {
    finalColor = vec4(0.0);
    return;
  }
  float t = clamp((v - uMin) / max(uMax - uMin, 1e-30), 0.0, 1.0);
  vec3 rgb = texture(uLut, vec2((t * 255.0 + 0.5) / 256.0, 0.5)).rgb;
  finalColor = vec4(rgb, 1.0) * uColor;
}`

let program: GlProgram | null = null
let unitQuad: Geometry | null = null

/** The unit quad every tile mesh shares (scaled to the tile's size). */
export function unitQuadGeometry(): Geometry {
  unitQuad ??= new Geometry({
    attributes: { aPosition: [0, 0, 1, 0, 1, 1, 0, 1], aUV: [0, 0, 1, 0, 1, 1, 0, 1] },
    indexBuffer: [0, 1, 2, 0, 2, 3]
  })
  return unitQuad
}

/** What draws the tiles of a value layer: one per layer, holding the uniforms its tiles share. */
export interface TileShading {
  /**
   * A mesh drawing `texture` as a unit quad (scale it to the tile's size), or over `geometry` (aPosition, aUV) when given;
   * `levelScale`: level-0 pixels per pixel of the tile's level (what a hillshade needs of the tile's pixel size).
   */
  createMesh(texture: Texture, geometry?: Geometry, levelScale?: { x: number; y: number }): Mesh<Geometry, Shader>
  destroy(): void
}

/** The stretch settings a person can change. */
export interface StretchSettings {
  min: number
  max: number
  colormap: ColormapName
}

/** Shared state of one single-band layer's tiles. Destroy it with the layer. */
export class Stretch implements TileShading {
  readonly uniforms: UniformGroup
  private readonly lut: BufferImageSource
  private settings: StretchSettings

  constructor(settings: StretchSettings, noData: number | null) {
    this.settings = { ...settings }
    this.uniforms = new UniformGroup({
      uMin: { value: settings.min, type: 'f32' },
      uMax: { value: settings.max, type: 'f32' },
      uNoData: { value: noData ?? 0, type: 'f32' },
      uHasNoData: { value: noData === null ? 0 : 1, type: 'f32' }
    })
    this.lut = new BufferImageSource({
      resource: colormapTable(settings.colormap),
      width: 256,
      height: 1,
      format: 'rgba8unorm',
      scaleMode: 'linear',
      autoGenerateMipmaps: false
    })
  }

  get current(): StretchSettings {
    return { ...this.settings }
  }

  /** Applies new settings to every tile of the layer at the next render. */
  set(settings: Partial<StretchSettings>): void {
    const next = { ...this.settings, ...settings }
    if (next.colormap !== this.settings.colormap) {
      this.lut.resource = colormapTable(next.colormap)
      this.lut.update()
    }
    this.settings = next
    this.uniforms.uniforms.uMin = next.min
    this.uniforms.uniforms.uMax = next.max
    this.uniforms.update()
  }

  /** A mesh drawing `texture` (a r32float tile) as a unit quad; scale it to the tile's size. */
  createMesh(texture: Texture, geometry: Geometry = unitQuadGeometry()): Mesh<Geometry, Shader> {
    program ??= GlProgram.from({ vertex: tileMeshVertex, fragment, name: 'tessera-stretch' })
    const shader = new Shader({
      glProgram: program,
      resources: { uTexture: texture.source, uLut: this.lut, stretch: this.uniforms }
    })
    return new Mesh({ geometry, shader, texture })
  }

  destroy(): void {
    this.lut.destroy()
  }
}
