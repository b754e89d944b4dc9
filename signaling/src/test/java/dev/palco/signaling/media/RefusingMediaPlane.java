package dev.palco.signaling.media;

import java.util.List;

/**
 * A media plane for server tests that need no media: sessions open (so joining, rooms,
 * moderation and events work), and every SDP is refused with a clear {@code sdp-invalid} reason.
 */
public final class RefusingMediaPlane implements MediaPlane {

  /** The reason every offer gets. */
  public static final String REASON = "this test server runs without a media plane";

  @Override
  public MediaSession openSession(
      String roomId, String participantId, SessionMode mode, MediaEvents events) {
    return new RefusingSession();
  }

  @Override
  public void closeRoom(String roomId) {}

  @Override
  public void close() {}

  private static final class RefusingSession implements MediaSession {
    @Override
    public String answerPublishOffer(String offerSdp, List<TrackSourceHint> sources)
        throws SdpRejectedException {
      throw new SdpRejectedException(REASON);
    }

    @Override
    public String answerPlaybackOffer(String offerSdp) throws SdpRejectedException {
      throw new SdpRejectedException(REASON);
    }

    @Override
    public void applySubscribeAnswer(String answerSdp, long revision) throws SdpRejectedException {
      throw new SdpRejectedException(REASON);
    }

    @Override
    public void addRemoteCandidate(IceCandidate candidate) {}

    @Override
    public void endOfRemoteCandidates() {}

    @Override
    public IceParameters restartIce(IceParameters remote) throws SdpRejectedException {
      throw new SdpRejectedException(REASON);
    }

    @Override
    public void setTrackMuted(String trackId, boolean muted) {}

    @Override
    public List<String> applyTrackLayouts(List<TrackLayout> layouts) {
      List<String> all = new java.util.ArrayList<>();
      for (TrackLayout layout : layouts) {
        all.add(layout.trackId());
      }
      return all;
    }

    @Override
    public void close() {}
  }
}
