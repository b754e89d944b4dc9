package dev.palco.sfu.room;

import dev.palco.sfu.feedback.DuplicateFilter;
import dev.palco.sfu.feedback.NackGenerator;
import dev.palco.sfu.feedback.PacketCache;
import dev.palco.sfu.stats.ReceiveStatistics;
import dev.palco.sfu.stats.SenderReportState;
import dev.palco.sfu.stats.StreamStats;
import dev.palco.sfu.util.BufferPool;

/**
 * One RTP stream a publisher sends for a track: a simulcast layer, or the only stream of a
 * track without simulcast, with its RTX partner. Holds the receive-side state of that stream:
 * statistics, duplicate filter, NACK generator, the packet cache that answers subscribers' NACKs,
 * and the publisher's last sender report.
 *
 * <p>Written only on the publisher's serial queue, except the cache, which subscribers' queues
 * read ({@link PacketCache} allows one writer and many readers), and the sender report state
 * (synchronized).
 */
final class IncomingStream {
  final TrackPublication publication;
  /** Simulcast layer index (0 = lowest), 0 without simulcast. */
  final int layer;
  final long ssrc;
  /** RTX SSRC once signalled or learnt, else -1. Written on the publisher's queue. */
  volatile long rtxSsrc = -1;
  final ReceiveStatistics statistics;
  final DuplicateFilter duplicates = new DuplicateFilter();
  /** Null when NACK was not negotiated for the track. */
  final NackGenerator nacks;
  /** Null when the track keeps no cache (audio without NACK). */
  final PacketCache cache;
  final SenderReportState senderReports = new SenderReportState();
  /** Bitrate, frame rate, resolution and liveness, for subscribers' layer allocation. */
  final LayerActivity activity = new LayerActivity();
  /** Whether the SSRC was signalled (authoritative) rather than learnt from header extensions. */
  boolean signalled;

  long rtxPacketsReceived;

  IncomingStream(TrackPublication publication, int layer, long ssrc, boolean nackEnabled,
      BufferPool cachePool, int cachePackets, long cacheMaxAgeMs) {
    this.publication = publication;
    this.layer = layer;
    this.ssrc = ssrc;
    this.statistics = new ReceiveStatistics(ssrc, publication.parameters().codecs().get(0).clockRateHz());
    this.nacks = nackEnabled ? NackGenerator.withDefaults() : null;
    this.cache = cachePackets > 0 ? new PacketCache(cachePool, cachePackets, cacheMaxAgeMs) : null;
  }

  /** A snapshot for the stats API; read off-queue, so values may be a packet apart. */
  StreamStats snapshot(long rttMs) {
    return new StreamStats(ssrc, statistics.packets(), statistics.bytes(),
        statistics.cumulativeLost(), statistics.jitterMs(), rttMs,
        nacks == null ? 0 : nacks.nacksRequested(), 0,
        publication.keyframes.plisSent() + publication.keyframes.firsSent(), rtxPacketsReceived,
        0, 0);
  }

  /** Gives the cache's buffers back. On the publisher's queue (the cache's writer). */
  void release() {
    if (cache != null) {
      cache.clear();
    }
  }
}
