/**
 * The decode worker: the script the decode pools run (`raster/decodePools.ts`), one job at a time,
 * with sharp or geotiff.js (`runJob`). The pool's side of the conversation is `serveJobs`.
 */
import { serveJobs } from '../../pool/serveJobs'
import { runJob } from './runJob'

serveJobs(runJob)
