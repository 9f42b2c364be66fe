/**
 * GPU stretch of three bands shown as RGB: a mesh per tile whose texture ('rgba32float') holds the
 * three bands' values in r, g, b and the validity in a (0 = no data: transparent). Each channel is
 * stretched linearly from its own [min, max] (two vec3 uniforms). One `RgbStretch` per layer holds
 * the uniforms its tiles share.
 */
import { GlProgram, Mesh, Shader, UniformGroup, type Geometry, type Texture } from 'pixi.js'
import { tileMeshVertex, unitQuadGeometry, type TileShading } from './StretchShader'
import type { BandRange } from './bandPixels'

const fragment = `#version 300 es
precision highp float;
precision highp sampler2D;
in vec2 vUV;
out vec4 finalColor;
uniform sampler2D uTexture;
uniform vec3 uMin;
uniform vec3 uMax;
uniform vec4 uColor;
void main() {
  vec4 s = texture(uTexture, vUV);
  if (!(s.a > 0.5)) {
    finalColor = vec4(0.0);
    return;
  }
  vec3 t = clamp((s.rgb - uMin) / max(uMax - uMin, vec3(1e-30)), 0.0, 1.0);
  finalColor = vec4(t, 1.0) * uColor;
}`

let program: GlProgram | null = null

/** Shared state of one RGB layer's tiles: the stretch range of each of the three channels. */
export class RgbStretch implements TileShading {
  readonly uniforms: UniformGroup
  private ranges: [BandRange, BandRange, BandRange]

  constructor(ranges: readonly [BandRange, BandRange, BandRange]) {
    this.ranges = ranges.map((r) => ({ ...r })) as [BandRange, BandRange, BandRange]
    this.uniforms = new UniformGroup({
      uMin: { value: new Float32Array(this.ranges.map((r) => r.min)), type: 'vec3<f32>' },
      uMax: { value: new Float32Array(this.ranges.map((r) => r.max)), type: 'vec3<f32>' }
    })
  }

  get current(): [BandRange, BandRange, BandRange] {
    return this.ranges.map((r) => ({ ...r })) as [BandRange, BandRange, BandRange]
  }

  /** Sets the range of the R, G and B channels; applies to every tile of the layer at the next render. */
  set(ranges: readonly [BandRange, BandRange, BandRange]): void {
    this.ranges = ranges.map((r) => ({ ...r })) as [BandRange, BandRange, BandRange]
    this.uniforms.uniforms.uMin = new Float32Array(this.ranges.map((r) => r.min))
    this.uniforms.uniforms.uMax = new Float32Array(this.ranges.map((r) => r.max))
    this.uniforms.update()
  }

  createMesh(texture: Texture, geometry: Geometry = unitQuadGeometry()): Mesh<Geometry, Shader> {
    program ??= GlProgram.from({ vertex: tileMeshVertex, fragment, name: 'tessera-bands' })
    const shader = new Shader({ glProgram: program, resources: { uTexture: texture.source, bands: this.uniforms } })
    return new Mesh({ geometry, shader, texture })
  }

  destroy(): void {
    // Nothing but uniforms: no GPU resource of its own.
  }
}
