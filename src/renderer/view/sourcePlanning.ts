/**
 * How where a layer's tiles come from shapes its tile plan: from the host's decoders (a file) or
 * from a server (a COG by URL, a web map layer: `RasterInfo.source`). Pure, so the rules are tested
 * without a renderer.
 */
import type { RasterInfo } from '../../shared/raster'
import type { LevelChoice } from '../../shared/tiles'

/**
 * Tile latency (request to arrival) above which a hole's parent is worth asking for: it covers
 * four holes for about the time its children take to come, which is nothing when they come within
 * a few frames (the bench counted such parents as a fifth of the tiles decoded in a fling).
 */
export const HOLE_PARENT_LATENCY_MS = 50

/** The raster's tiles come from a server (a COG by URL, a web map layer), not from the host's decoders. */
export function fetchesFromServer(info: RasterInfo): boolean {
  return info.source !== undefined
}

/**
 * The planner's options that follow from the layer's source:
 * - hole parents: a file's when its tiles take long enough for a parent to show before its
 *   children. A server's never, however long its tiles take: they share the host's six connections
 *   with their children, so each parent puts the sharp view a round trip further off (a fifth of a
 *   jump's requests), and fetches what the view does not keep (the coarser level was 42 % of a COG
 *   walk's bytes beyond GDAL's window). The pinned coarsest levels still show under every hole, as
 *   OpenLayers shows whatever coarser tile it holds.
 * - the level: a web map layer's as web maps pick it ('nearest': its tiles were drawn for about
 *   their size, and between two levels up to 2.25 times fewer are fetched); a file's, and a COG's,
 *   never magnified ('finer').
 */
export function sourcePlanning(info: RasterInfo, latencyMs: number): { holeParents: boolean; levelChoice: LevelChoice; leadSliverPx: number } {
  const fromServer = fetchesFromServer(info)
  return {
    holeParents: !fromServer && latencyMs > HOLE_PARENT_LATENCY_MS,
    levelChoice: info.source?.kind === 'web' ? 'nearest' : 'finer',
    leadSliverPx: fromServer ? SERVER_LEAD_SLIVER_PX : 0
  }
}

/**
 * A server layer's `leadSliverPx`: of a pan's guess, a tile off screen that the lead view shows
 * less of is asked for once the camera shows more (at 3.5 screens a second, 9 ms later), or at
 * rest. A glide slowing to a stop was led a few pixels past its stop, into the next row of tiles:
 * five of an XYZ walk's tiles, each time. At 32 px (pans only), 2–4 % of the walk's tiles were
 * fetched for views left, against 6–9 % without; at 64 px and in zooms too, 2–3 %, but the pans'
 * and the zoom out's waits for sharp grew from 10–50 ms to 20–115 (3 walks each, quick).
 */
export const SERVER_LEAD_SLIVER_PX = 32

/**
 * Most tiles in flight for the layers whose tiles come from servers, counted apart from the files'.
 * Such a tile waits in the host for one of the server's six connections, costing neither a decode
 * nor a byte, and is withdrawn for free until its turn; under the files' 16, a jump's 20 tiles left
 * those connections idle for a round trip through the page (70 ms of a 300 ms wait) while the page
 * caught up with the arrivals and asked again.
 */
export const SERVER_MAX_IN_FLIGHT = 48

/**
 * How many more tiles a layer of one kind (from a server or not) may put in flight: its kind's
 * budget less what the layers of its kind have in flight. The files' budget is `filesMaxInFlight`;
 * the servers' is `SERVER_MAX_IN_FLIGHT`, or `filesMaxInFlight` when that is larger (Infinity: the
 * FIFO baseline, everything at once).
 */
export function inFlightRoom(layers: Iterable<{ fetchesFromServer: boolean; pendingCount: number }>, fromServer: boolean, filesMaxInFlight: number): number {
  const budget = fromServer ? Math.max(SERVER_MAX_IN_FLIGHT, filesMaxInFlight) : filesMaxInFlight
  let pending = 0
  for (const layer of layers) if (layer.fetchesFromServer === fromServer) pending += layer.pendingCount
  return budget - pending
}

/**
 * Most of a server layer's tiles on their way while the camera moves (its plan leads: a pan, a
 * glide, a continuous zoom). What a moving camera asks for is a guess at where it will be, and a
 * guess sent to an HTTP/2 server is answered before its withdrawal arrives (the host sends as many
 * at once as the server's streams, then 16): in the web bench's XYZ walk over HTTP/2, 10–13 % of the
 * tiles fetched were of views crossed and left, the goal being 10 %. The rest of the guess waits in
 * the page, the tiles nearest where the camera is going first, and is not sent if it moves on; at
 * rest, the view asks for everything at once. Over HTTP/2 (5 walks each, quick): 6 in flight, 5 %
 * left but the walk 0.92× OpenLayers' time (the view's last tiles a round trip later); 12, 7.1 %
 * and 0.77×. HTTP/1.1's six connections held them back already.
 */
export const MOTION_MAX_IN_FLIGHT = 12

/**
 * How far ahead of a moving camera (in views, `Motion.leadViews`) a server layer still asks for
 * tiles; past it, none (a file's layer asks up to LEAD_LIMIT, 0.3). A server's tile asked for now is
 * paid in full whether or not the camera is still there when it comes (a stored tile's request is
 * answered before a withdrawal reaches its server, and lands in the web cache), where a file's
 * withdrawn decode is dropped. At 0.3, a pan's first frames asked for the column it was about to cross: in
 * the web bench's XYZ walk, once a view's tiles went in one round trip, 10–11 % of the tiles
 * fetched over HTTP/1.1 and HTTP/2 were of views left; at 0.2, 5–7 %, the walk no slower (3 walks
 * each, quick). A pan's only: a zoom that also moves (the walk's zoom in, to a point off centre)
 * wants the level it enters inside its own view, and held to 0.2 its wait grew from 180–270 ms to
 * 290–340.
 */
export const SERVER_LEAD_LIMIT = 0.2

/**
 * New requests a layer may send this frame: the motion's (`maxNewRequests`), and, for a layer whose
 * tiles come from a server while the camera moves, none while a pan is more than
 * `SERVER_LEAD_LIMIT` ahead of them, else no more than bring its tiles on their way (`pending`) to
 * `MOTION_MAX_IN_FLIGHT`.
 */
export function motionRequestRoom(motion: { lead: { x: number; y: number }; zoomLead: number; maxNewRequests: number; leadViews?: number }, fromServer: boolean, pending: number): number {
  const moving = motion.lead.x !== 0 || motion.lead.y !== 0 || motion.zoomLead !== 1
  if (!moving || !fromServer) return motion.maxNewRequests
  if (motion.zoomLead === 1 && (motion.leadViews ?? 0) > SERVER_LEAD_LIMIT) return 0
  return Math.min(motion.maxNewRequests, Math.max(0, MOTION_MAX_IN_FLIGHT - pending))
}
