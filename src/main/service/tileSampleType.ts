import { expectedMessage } from '../../shared/errors'
import type { SampleType } from '../../shared/raster'
import type { DecodedTile } from '../raster/types'

/** Sample type of a decoded tile's data, read from its typed array. */
export function sampleTypeOf(data: DecodedTile['data'] | ArrayBufferView): SampleType {
  if (data instanceof Uint8Array || data instanceof Uint8ClampedArray) return 'uint8'
  if (data instanceof Uint16Array) return 'uint16'
  if (data instanceof Int16Array) return 'int16'
  if (data instanceof Float32Array) return 'float32'
  if (data instanceof Float64Array) return 'float64'
  if (data instanceof Int8Array) return 'int8'
  if (data instanceof Uint32Array) return 'uint32'
  if (data instanceof Int32Array) return 'int32'
  throw new TypeError(expectedMessage('typed array', 'tile data', data, Object.prototype.toString.call(data)))
}
