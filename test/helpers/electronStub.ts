/**
 * Electron's objects stubbed at the edge (ipcMain, webContents, the sender frame) for the tests of
 * the Electron transport; the MessagePorts are Node's (the same API as MessageChannelMain).
 */
import type { MessagePort } from 'node:worker_threads'
import { pathToFileURL } from 'node:url'
import { expect } from 'vitest'
import { IPC } from '../../src/shared/ipcChannels'
import type { ServerMessage } from '../../src/shared/protocol'
import type { IpcEventLike, IpcMainLike, WebContentsLike } from '../../src/main/transport/electronIpc'

/** Where the packaged app's page lives, and the trust settings that name it. */
export const appIndex = '/opt/Tessera/resources/app/out/renderer/index.html'
export const trusted = { fileUrl: pathToFileURL(appIndex).href }

/** ipcMain, reduced to what it stores; `send` throws what a listener throws, as Electron's emitter would. */
export class FakeIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, (event: IpcEventLike, ...args: unknown[]) => unknown>()
  readonly listeners = new Map<string, (event: IpcEventLike, ...args: unknown[]) => void>()
  handle(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => unknown): void {
    this.handlers.set(channel, listener)
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel)
  }
  on(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => void): void {
    this.listeners.set(channel, listener)
  }
  removeListener(channel: string): void {
    this.listeners.delete(channel)
  }
  /** What `ipcRenderer.invoke` does: runs the handler, rejects when it throws. */
  async invoke(event: IpcEventLike, channel: string, ...args: unknown[]): Promise<unknown> {
    return this.handlers.get(channel)!(event, ...args)
  }
  send(event: IpcEventLike, channel: string, ...args: unknown[]): void {
    this.listeners.get(channel)!(event, ...args)
  }
}

/** A webContents that keeps the last port it was handed and records what arrives on it. */
export class FakeContents implements WebContentsLike {
  static nextId = 1
  readonly id = FakeContents.nextId++
  port: MessagePort | null = null
  portsReceived = 0
  readonly received: unknown[] = []
  private destroyedListeners: Array<() => void> = []
  private waiters: Array<() => void> = []
  postMessage(channel: string, _message: unknown, transfer?: unknown[]): void {
    expect(channel).toBe(IPC.port)
    this.port = transfer![0] as MessagePort
    this.portsReceived++
    this.port.on('message', (data: unknown) => {
      this.received.push(data)
      for (const wake of this.waiters.splice(0)) wake()
    })
  }
  once(_event: 'destroyed', listener: () => void): void {
    this.destroyedListeners.push(listener)
  }
  destroy(): void {
    for (const listener of this.destroyedListeners.splice(0)) listener()
    this.port?.close()
  }
  async until(predicate: () => boolean): Promise<void> {
    while (!predicate()) await new Promise<void>((resolve) => this.waiters.push(resolve))
  }
  messages(): ServerMessage[] {
    return this.received.filter((d): d is ServerMessage => !(d instanceof Uint8Array))
  }
  errors(): Array<Extract<ServerMessage, { type: 'error' }>> {
    return this.messages().filter((m): m is Extract<ServerMessage, { type: 'error' }> => m.type === 'error')
  }
  tiles(): Uint8Array[] {
    return this.received.filter((d): d is Uint8Array => d instanceof Uint8Array)
  }
}

/** An IPC event from `sender` whose frame is at `url` (null: a destroyed frame); by default the app's page. */
export function senderEvent(sender: WebContentsLike, url: string | null = trusted.fileUrl): IpcEventLike {
  return { sender, senderFrame: url === null ? null : { url } }
}
