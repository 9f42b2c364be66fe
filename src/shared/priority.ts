/**
 * Load priorities, as in the seed's `ImageLoadPriority`: a lower value is served first.
 * Shared by the loader (main) and the tile scheduler (renderer), which decides them.
 */
export enum ImageLoadPriority {
  HIGH = 1,
  NORMAL = 2,
  LOW = 3
}

/** True when `value` is one of the three priorities. */
export function isPriority(value: unknown): value is ImageLoadPriority {
  return value === 1 || value === 2 || value === 3
}
