/** Which texts are remote URLs, and which of them Tessera fetches. */

/** True when `text` is an http:// or https:// URL (the open paths route it to the remote reader). */
export function isRemoteUrl(text: string): boolean {
  return /^https?:\/\/[^\s/]/i.test(text.trim())
}

/**
 * `text` parsed as a URL Tessera may fetch, or a clear refusal: only http and https (never file:,
 * data:, ftp: …), and no user name or password written in it, since Tessera sends no credentials.
 */
export function parseRemoteUrl(text: string): URL {
  let url: URL
  try {
    url = new URL(text.trim())
  } catch {
    throw new Error(`"${text}" is not a URL`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`Tessera opens only http and https URLs, not ${url.protocol.replace(/:$/, '')}: (${text})`)
  }
  if (url.username || url.password) {
    throw new Error(`Tessera sends no credentials: remove the user name and password from ${url.protocol}//…@${url.host}${url.pathname}`)
  }
  return url
}
