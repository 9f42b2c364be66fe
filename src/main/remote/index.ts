/**
 * Remote files read by HTTP range requests in the main process (issue #24): one block cache and
 * one per-host limit for the process, every answer checked, errors naming the URL and the cause.
 */
export { openRemoteFile } from './openRemoteFile'
export { RemoteFile, type RemoteFileInfo, type RemoteFileStats } from './RemoteFile'
export { RemoteFileChangedError, RemoteReadError, type RemoteFailure } from './errors'
export { isRemoteUrl, parseRemoteUrl } from './remoteUrl'
export { type RemoteOptions, defaultRemoteOptions } from './options'
export { BlockCache } from './BlockCache'
export { HostLimiter } from './HostLimiter'
export { processRemoteTotals, sharedBlockCache, sharedHostLimiter } from './sharedClient'
