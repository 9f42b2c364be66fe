/**
 * GPU hillshade of single-band tiles: a mesh per tile whose shader shades each pixel from its 3 × 3
 * window, read from a 'r32float' texture that carries a one-texel border of the neighbours' values
 * (`hillshade.ts` `withBorder`: the tile is (w + 2) × (h + 2) texels, NaN = no data). The formula
 * is `shadeOfWindow` of `hillshade.ts` line for line (gdaldem's): Horn's gradient, one light or four
 * (multidirectional), the shade 1–255 drawn as grey, or multiplying the layer's colour map of the
 * stretched value. The pixel size is the layer's at level 0 (a uniform of the layer) times the
 * tile's level scale (a uniform of the tile). One `Hillshade` per layer.
 */
import { BufferImageSource, GlProgram, Mesh, Shader, UniformGroup, type Geometry, type Texture } from 'pixi.js'
import { colormapTable, type ColormapName } from './colormaps'
import { hillshadeConstants, type HillshadeStyle, type PixelSize } from './hillshade'
import { tileMeshVertex, unitQuadGeometry, type TileShading } from './StretchShader'

const fragment = `#version 300 es
precision highp float;
precision highp sampler2D;
in vec2 vUV;
out vec4 finalColor;
uniform sampler2D uTexture;
uniform sampler2D uLut;
uniform vec2 uInvRes;
uniform vec2 uLevelScale;
uniform float uZ;
uniform vec4 uLight;
uniform float uMulti;
uniform float uWithColour;
uniform float uMin;
uniform float uMax;
uniform vec4 uColor;

float height(ivec2 p, float c) {
  float v = texelFetch(uTexture, p, 0).r;
  return isnan(v) ? c : v;
}

void main() {
  ivec2 size = textureSize(uTexture, 0) - 2;
  ivec2 p = clamp(ivec2(floor(vUV * vec2(size))), ivec2(0), size - 1) + 1;
  float c = texelFetch(uTexture, p, 0).r;
  if (isnan(c)) {
    finalColor = vec4(0.0);
    return;
  }
  float z0 = height(p + ivec2(-1, -1), c);
  float z1 = height(p + ivec2(0, -1), c);
  float z2 = height(p + ivec2(1, -1), c);
  float z3 = height(p + ivec2(-1, 0), c);
  float z5 = height(p + ivec2(1, 0), c);
  float z6 = height(p + ivec2(-1, 1), c);
  float z7 = height(p + ivec2(0, 1), c);
  float z8 = height(p + ivec2(1, 1), c);
  float x = ((z0 + 2.0 * z3 + z6) - (z2 + 2.0 * z5 + z8)) * uInvRes.x / uLevelScale.x;
  float y = ((z6 + 2.0 * z7 + z8) - (z0 + 2.0 * z1 + z2)) * uInvRes.y / uLevelScale.y;
  float sinAlt = uLight.x;
  float cosAlt = uLight.y;
  float sinAz = uLight.z;
  float cosAz = uLight.w;
  float xx = x * x;
  float yy = y * y;
  float norm = sqrt(1.0 + uZ * uZ * (xx + yy));
  float shade;
  if (uMulti < 0.5) {
    float cang = (sinAlt - (y * cosAz * cosAlt * uZ - x * sinAz * cosAlt * uZ)) / norm;
    shade = cang <= 0.0 ? 1.0 : 1.0 + 254.0 * cang;
  } else if (xx + yy == 0.0) {
    shade = 1.0 + 254.0 * sinAlt;
  } else {
    float zc = cosAlt * uZ;
    float cos225 = -0.70710678118654752;
    float v225 = max(0.0, sinAlt + (x - y) * cos225 * zc);
    float v270 = max(0.0, sinAlt - x * zc);
    float v315 = max(0.0, sinAlt + (x + y) * cos225 * zc);
    float v360 = max(0.0, sinAlt - y * zc);
    float w225 = 0.5 * (xx + yy) - x * y;
    float w315 = xx + yy - w225;
    shade = 1.0 + 127.0 * (w225 * v225 + xx * v270 + w315 * v315 + yy * v360) / (xx + yy) / norm;
  }
  float s = clamp(shade, 0.0, 255.0) / 255.0;
  vec3 rgb = vec3(s);
  if (uWithColour > 0.5) {
    float t = clamp((c - uMin) / max(uMax - uMin, 1e-30), 0.0, 1.0);
    rgb = texture(uLut, vec2((t * 255.0 + 0.5) / 256.0, 0.5)).rgb * s;
  }
  finalColor = vec4(rgb, 1.0) * uColor;
}`

let program: GlProgram | null = null

/** What a layer's hillshade is drawn with: the style, the layer's pixel size, and the stretch and colour map for shade × colour. */
export interface HillshadeSettings {
  style: HillshadeStyle
  /** The layer's level-0 pixel size (`levelPixelSize` of its geotransform). */
  pixel: PixelSize
  /** The pixel size is in degrees (scaled as gdaldem -s 111120). */
  geographic: boolean
  min: number
  max: number
  colormap: ColormapName
}

/** Shared state of one hillshaded layer's tiles. Destroy it with the layer. */
export class Hillshade implements TileShading {
  readonly uniforms: UniformGroup
  private readonly lut: BufferImageSource
  private settings: HillshadeSettings

  constructor(settings: HillshadeSettings) {
    this.settings = { ...settings, style: { ...settings.style } }
    this.uniforms = new UniformGroup({
      uInvRes: { value: new Float32Array(2), type: 'vec2<f32>' },
      uZ: { value: 0, type: 'f32' },
      uLight: { value: new Float32Array(4), type: 'vec4<f32>' },
      uMulti: { value: 0, type: 'f32' },
      uWithColour: { value: 0, type: 'f32' },
      uMin: { value: 0, type: 'f32' },
      uMax: { value: 1, type: 'f32' }
    })
    this.lut = new BufferImageSource({ resource: colormapTable(settings.colormap), width: 256, height: 1, format: 'rgba8unorm', scaleMode: 'linear', autoGenerateMipmaps: false })
    this.apply()
  }

  get current(): HillshadeSettings {
    return { ...this.settings, style: { ...this.settings.style } }
  }

  /** Applies new settings to every tile of the layer at the next render. */
  set(settings: Partial<HillshadeSettings>): void {
    const next = { ...this.settings, ...settings }
    if (next.colormap !== this.settings.colormap) {
      this.lut.resource = colormapTable(next.colormap)
      this.lut.update()
    }
    this.settings = { ...next, style: { ...next.style } }
    this.apply()
  }

  private apply(): void {
    const { style, pixel, geographic, min, max } = this.settings
    const k = hillshadeConstants(style, pixel, geographic)
    const u = this.uniforms.uniforms
    u.uInvRes = new Float32Array([k.invEw, k.invNs])
    u.uZ = k.zOver8
    u.uLight = new Float32Array([k.sinAlt, k.cosAlt, k.sinAz, k.cosAz])
    u.uMulti = k.multidirectional ? 1 : 0
    u.uWithColour = style.withColour ? 1 : 0
    u.uMin = min
    u.uMax = max
    this.uniforms.update()
  }

  /**
   * A mesh drawing `texture` (a bordered r32float tile) as a unit quad or over `geometry`; `levelScale`:
   * level-0 pixels per pixel of the tile's level (its pixel size is the layer's times that).
   */
  createMesh(texture: Texture, geometry: Geometry = unitQuadGeometry(), levelScale: { x: number; y: number } = { x: 1, y: 1 }): Mesh<Geometry, Shader> {
    program ??= GlProgram.from({ vertex: tileMeshVertex, fragment, name: 'tessera-hillshade' })
    const tile = new UniformGroup({ uLevelScale: { value: new Float32Array([levelScale.x, levelScale.y]), type: 'vec2<f32>' } })
    const shader = new Shader({ glProgram: program, resources: { uTexture: texture.source, uLut: this.lut, hillshade: this.uniforms, tile } })
    return new Mesh({ geometry, shader, texture })
  }

  destroy(): void {
    this.lut.destroy()
  }
}
