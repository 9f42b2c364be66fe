/**
 * Memory at rest, for end-to-end checks that something came back to where it was: the page's JS
 * heap after a garbage collection (through CDP, Chromium only) and a host process's resident set
 * size (from /proc, Linux only).
 */
import { readFileSync } from 'node:fs'
import type { Page } from '@playwright/test'

export interface MemoryAtRest {
  /** Bytes of the page's JS heap in use after a garbage collection. */
  heap: number
  /** Bytes resident in the host process. */
  rss: number
}

/** The page's JS heap after a garbage collection, and the RSS of process `hostPid`. */
export async function memoryAtRest(page: Page, hostPid: number): Promise<MemoryAtRest> {
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('HeapProfiler.collectGarbage')
  const { usedSize } = await cdp.send('Runtime.getHeapUsage')
  await cdp.detach()
  return { heap: usedSize, rss: processRss(hostPid) }
}

/** The Node host started by scripts/serve.mjs: its only child (the launcher itself if it has none). */
export function serveHostPid(launcherPid: number): number {
  const children = readFileSync(`/proc/${launcherPid}/task/${launcherPid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean)
  return Number(children[0] ?? launcherPid)
}

/** Resident set size of a process, in bytes, from /proc/PID/status. */
export function processRss(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'))
  return Number(/(\d+)/.exec(line ?? '')?.[1] ?? 0) * 1024
}

/** Bytes as megabytes with one decimal, signed when `signed`. */
export function mb(bytes: number, signed = false): string {
  const text = (bytes / 1024 / 1024).toFixed(1)
  return signed && bytes >= 0 ? `+${text}` : text
}
