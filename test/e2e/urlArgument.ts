/**
 * Issue 24: a URL on the host's command line (`npm run serve -- http://…/quad-cog.tif`, the
 * Electron app's arguments) opens at start, as a path given there does. Written once for a page of
 * either host, its host started with `cogs.quadUrl` then `cogs.missingUrl`: the COG is drawn with
 * its file's pixels, its info shows the URL (text, not a link), and the 404 is said naming the URL.
 */
import type { Page } from '@playwright/test'
import { expect, shoot, waitForLayers, waitForSharp } from './helpers'
import { layerInfo, type UrlFixture } from './openUrl'
import { expectQuadrants } from './knownPixels'

/** The command line of the scenario: the COG, then a URL nginx answers 404. */
export function urlArguments(cogs: UrlFixture): string[] {
  return [cogs.quadUrl, cogs.missingUrl]
}

/** The scenario, on a page of a host started with `urlArguments(cogs)`. */
export async function expectUrlArgumentOpened(page: Page, cogs: UrlFixture, prefix: string): Promise<void> {
  await waitForLayers(page, 1)
  await expect(page.getByTestId('layer-name')).toHaveText('quad-cog.tif')
  await waitForSharp(page)
  expectQuadrants(await shoot(page, `${prefix}-url-argument`), 'COG given by URL')
  const info = await layerInfo(page, 'quad-cog.tif')
  expect(info).toContain(`URL ${cogs.quadUrl}`)
  await expect(page.getByTestId('layer').locator('.info-table a')).toHaveCount(0)
  const error = page.getByTestId('error').filter({ hasText: cogs.missingUrl })
  await expect(error).toHaveCount(1)
  // Said as every file the host failed to open is: its title names it, the cause follows.
  await expect(error).toHaveAttribute('data-text', `Could not open ${cogs.missingUrl}: HTTP 404 Not Found`)
  await expect(page.getByTestId('layer')).toHaveCount(1)
}
