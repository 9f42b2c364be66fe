/**
 * The page's tile worker: the service's messages are received here, off the main thread. A page
 * busy drawing reads a WebSocket slowly (Chromium refills its pipe from a main-thread task: 46 MB/s
 * idle, 6 MB/s when a frame takes 20 ms); here the socket is read at once, frames are unpacked and
 * JPEG, WebP and PNG tiles decoded by the browser's decoders, and the main thread receives tiles ready to upload.
 */
import { messageOf } from '../../shared/errors'
import type { TileEncoding } from '../../shared/protocol'
import { encodeUploadFrame } from '../../shared/uploadFrame'
import { TileReceiver, type TileDecoder } from './TileReceiver'
import type { FromTileWorker, ToTileWorker } from './tileWorkerProtocol'

/** The parts of a dedicated worker's global scope used here (the renderer compiles with the DOM's types). */
interface WorkerScope {
  onmessage: ((event: MessageEvent<ToTileWorker>) => void) | null
  postMessage(message: FromTileWorker, transfer: Transferable[]): void
}

const scope = self as unknown as WorkerScope
const post = (message: FromTileWorker, transfer: Transferable[] = []): void => scope.postMessage(message, transfer)

/** A 2D canvas reused for every decode: drawn, read back, cleared by the next draw. */
let canvas: OffscreenCanvas | null = null
let context: OffscreenCanvasRenderingContext2D | null = null

/**
 * The browser's JPEG, WebP and PNG decoders: no colour conversion (as libvips: an image without a
 * profile is sRGB), no premultiplying. A PNG through WebCodecs' ImageDecoder where the browser has
 * it: its frame's pixels are copied out, without the draw and read-back of a 2D canvas (a web map
 * layer's PNG tiles, 2.5 times smaller than their pixels, are decoded here rather than in the
 * host: the web bench's XYZ walk over HTTP/2 went from 0.95–1.07× OpenLayers' time to 0.75×). Not a
 * JPEG or a lossy WebP: ImageDecoder gives their YUV planes, and its conversion to RGB differs from
 * libjpeg's (and GDAL's) by up to 35 levels; the 2D canvas's does not. Both keep a premultiplied
 * store, which rounds the colour of a partly transparent pixel (at an alpha of 1 of 255, to the
 * nearest of a few colours): invisible, as the GPU premultiplies when it draws.
 */
const decodeTile: TileDecoder = (bytes, encoding, width, height) =>
  encoding === 'png' && typeof ImageDecoder === 'function' ? decodeFrame(bytes, encoding, width, height) : decodeOnCanvas(bytes, encoding, width, height)

/** The top-left `width` × `height` of the image's first frame, RGBA8, by WebCodecs' ImageDecoder. */
async function decodeFrame(bytes: Uint8Array, encoding: TileEncoding, width: number, height: number): Promise<Uint8Array> {
  const decoder = new ImageDecoder({ data: bytes as Uint8Array<ArrayBuffer>, type: `image/${encoding}`, colorSpaceConversion: 'none' })
  // A broken image rejects these too: the decode's own rejection says why, to the tile's failure.
  decoder.completed.catch(() => undefined)
  decoder.tracks.ready.catch(() => undefined)
  try {
    const { image } = await decoder.decode({ frameIndex: 0 })
    try {
      if (image.displayWidth < width || image.displayHeight < height) {
        throw new Error(`it decodes to ${image.displayWidth}×${image.displayHeight}, smaller than the tile's ${width}×${height}`)
      }
      const pixels = new Uint8Array(width * height * 4)
      await image.copyTo(pixels, { rect: { x: 0, y: 0, width, height }, format: 'RGBA', colorSpace: 'srgb' })
      return pixels
    } finally {
      image.close()
    }
  } finally {
    decoder.close()
  }
}

const decodeOnCanvas: TileDecoder = async (bytes, encoding, width, height) => {
  const bitmap = await createImageBitmap(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: `image/${encoding}` }), {
    colorSpaceConversion: 'none',
    premultiplyAlpha: 'none'
  })
  try {
    if (bitmap.width < width || bitmap.height < height) {
      throw new Error(`it decodes to ${bitmap.width}×${bitmap.height}, smaller than the tile's ${width}×${height}`)
    }
    if (!canvas || canvas.width < width || canvas.height < height) {
      canvas = new OffscreenCanvas(Math.max(width, canvas?.width ?? 0), Math.max(height, canvas?.height ?? 0))
      context = canvas.getContext('2d', { willReadFrequently: true, alpha: true })
    }
    if (!context) throw new Error('no 2D canvas in the worker')
    context.clearRect(0, 0, width, height)
    context.drawImage(bitmap, 0, 0, width, height, 0, 0, width, height)
    const image = context.getImageData(0, 0, width, height, { colorSpace: 'srgb' })
    return new Uint8Array(image.data.buffer, image.data.byteOffset, image.data.byteLength)
  } finally {
    bitmap.close()
  }
}

const receiver = new TileReceiver(post, decodeTile)
let socket: WebSocket | null = null
let drainTimer: ReturnType<typeof setInterval> | null = null

/** Reports the socket's bufferedAmount until it is empty (the upload waits on it). */
function reportBuffered(): void {
  const amount = socket?.bufferedAmount ?? 0
  post({ kind: 'buffered', amount })
  if (amount > 0 && drainTimer === null) {
    drainTimer = setInterval(() => {
      const now = socket?.bufferedAmount ?? 0
      post({ kind: 'buffered', amount: now })
      if (now === 0 && drainTimer !== null) {
        clearInterval(drainTimer)
        drainTimer = null
      }
    }, 10)
  }
}

scope.onmessage = (event) => {
  const message = event.data
  switch (message.kind) {
    case 'connect': {
      const ws = new WebSocket(message.url)
      ws.binaryType = 'arraybuffer'
      socket = ws
      ws.onopen = () => receiver.other({ kind: 'open' })
      ws.onclose = () => receiver.other({ kind: 'closed' })
      ws.onmessage = (e: MessageEvent) => {
        if (typeof e.data === 'string') receiver.other({ kind: 'text', data: e.data })
        else if (e.data instanceof ArrayBuffer) receiver.frame(e.data)
      }
      return
    }
    case 'port': {
      const port = message.port
      port.onmessage = (e: MessageEvent) => {
        if (e.data instanceof ArrayBuffer || e.data instanceof Uint8Array) receiver.frame(e.data)
        else receiver.other({ kind: 'event', data: e.data })
      }
      port.start()
      return
    }
    case 'send':
      if (socket?.readyState === WebSocket.OPEN) socket.send(message.data)
      reportBuffered()
      return
    case 'close':
      socket?.close()
      return
    case 'upload':
      void upload(message)
      return
  }
}

/** Sends a file as upload chunks on the socket, pacing on its bufferedAmount, and says how far it got. */
async function upload(job: Extract<ToTileWorker, { kind: 'upload' }>): Promise<void> {
  const ws = socket
  const { file, token } = job
  try {
    for (let offset = 0; offset < file.size; offset += job.chunkSize) {
      const bytes = new Uint8Array(await file.slice(offset, offset + job.chunkSize).arrayBuffer())
      if (socket !== ws || ws?.readyState !== WebSocket.OPEN) throw new Error(`Connection lost while uploading ${file.name}`)
      ws.send(encodeUploadFrame(job.uploadId, offset, bytes))
      while (socket === ws && ws.readyState === WebSocket.OPEN && ws.bufferedAmount > job.maxBufferedAmount) await new Promise((r) => setTimeout(r, 5))
      post({ kind: 'upload-progress', token, sentBytes: Math.min(file.size, offset + bytes.byteLength), done: false })
    }
    post({ kind: 'upload-progress', token, sentBytes: file.size, done: true })
  } catch (error) {
    post({ kind: 'upload-progress', token, sentBytes: 0, done: true, error: messageOf(error) })
  }
}
