/**
 * Mulberry32: a small seeded generator of floats in [0, 1), so that a benchmark script or a random
 * walk repeats exactly and a failing run can be replayed. Shared by bench/ and test/.
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
