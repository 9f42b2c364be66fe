/**
 * A self-signed certificate for 127.0.0.1 and localhost, made by Debian's openssl (installed by
 * `.ci/run`) into a temporary folder: what an https server of the tests (nginx, node:http2) serves,
 * and what the client under test is told to trust.
 */
import { execFileSync } from 'node:child_process'
import { chmodSync, existsSync, mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

export interface SelfSignedCert {
  certPath: string
  keyPath: string
  cert: Buffer
  key: Buffer
}

/** Writes (once per folder) and reads a certificate valid ten years for IP 127.0.0.1 and DNS localhost. */
export function selfSignedCert(dir: string): SelfSignedCert {
  mkdirSync(dir, { recursive: true })
  const certPath = join(dir, 'cert.pem')
  const keyPath = join(dir, 'key.pem')
  if (!existsSync(certPath) || !existsSync(keyPath)) {
    try {
      execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', keyPath, '-out', certPath, '-days', '3650', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'], { stdio: 'pipe' })
    } catch (error) {
      throw new Error(`openssl could not make a test certificate (Debian's openssl, installed by .ci/run): ${(error as Error).message}`)
    }
    // nginx started as root by the tests drops to nobody (test/helpers/nginx.ts), which must read them.
    chmodSync(dir, 0o755)
    chmodSync(keyPath, 0o644)
  }
  return { certPath, keyPath, cert: readFileSync(certPath), key: readFileSync(keyPath) }
}
