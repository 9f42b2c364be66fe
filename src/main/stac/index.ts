/** STAC documents read by the host (issue 25): `stac-read`'s side in main. */
export { readStac, type StacReadOptions } from './readStac'
export { StacDocumentError } from './stacJson'
