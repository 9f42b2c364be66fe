/**
 * Generates the test images once per run into a temporary directory (TESSERA_E2E_IMAGES, read by
 * the specs) and removes it at the end. A directory given in TESSERA_E2E_IMAGES is used as it is.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { BIG_JPEG, generateImages } from './images'

export default async function globalSetup(): Promise<(() => void) | undefined> {
  const given = process.env.TESSERA_E2E_IMAGES
  if (given && existsSync(join(given, BIG_JPEG.file))) return undefined
  const dir = mkdtempSync(join(tmpdir(), 'tessera-e2e-'))
  await generateImages(dir)
  process.env.TESSERA_E2E_IMAGES = dir
  return () => rmSync(dir, { recursive: true, force: true })
}
