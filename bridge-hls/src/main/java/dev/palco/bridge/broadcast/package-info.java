/**
 * One room's live broadcast: the stage's decoded media in (it is the ingest's
 * {@link dev.palco.bridge.stage.StageListener}), the compositor and the mixer each on an output
 * clock of its own, the encoder ladder on its own thread behind a bounded hand-off, and the
 * renditions on the LL-HLS origin; start, restart (with {@code EXT-X-DISCONTINUITY}), stop, and the
 * numbers to watch.
 */
package dev.palco.bridge.broadcast;
