package dev.palco.sfu.sdp;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * An RTP header extension the SFU accepts, for which media kinds, and the id it uses when it makes
 * the offer (when it answers, the offerer's id is kept: RFC 8285 §6).
 *
 * @param uri the extension URI
 * @param kinds the media kinds it is negotiated for
 * @param preferredId id used in SFU offers when free, 1..14 so the one-byte header form works
 */
public record HeaderExtensionCapability(String uri, Set<MediaKind> kinds, int preferredId) {

  /** Copies the set so the record stays immutable. */
  public HeaderExtensionCapability {
    kinds = Set.copyOf(kinds);
    if (preferredId < 1 || preferredId > ExtMap.MAX_ONE_BYTE_ID) {
      throw new IllegalArgumentException("preferredId must be 1..14: " + preferredId);
    }
  }

  /**
   * The default set. The ids follow Chromium's own numbering where Chromium has one, so an SFU offer
   * and a later browser offer agree on ids without renumbering.
   */
  static List<HeaderExtensionCapability> defaults() {
    Set<MediaKind> both = EnumSet.allOf(MediaKind.class);
    Set<MediaKind> video = EnumSet.of(MediaKind.VIDEO);
    return List.of(
        new HeaderExtensionCapability(RtpHeaderExtensionUris.SSRC_AUDIO_LEVEL, EnumSet.of(MediaKind.AUDIO), 1),
        new HeaderExtensionCapability(RtpHeaderExtensionUris.ABS_SEND_TIME, both, 2),
        new HeaderExtensionCapability(RtpHeaderExtensionUris.TRANSPORT_WIDE_CC, both, 3),
        new HeaderExtensionCapability(RtpHeaderExtensionUris.SDES_MID, both, 4),
        new HeaderExtensionCapability(RtpHeaderExtensionUris.ABS_CAPTURE_TIME, both, 9),
        new HeaderExtensionCapability(RtpHeaderExtensionUris.SDES_RTP_STREAM_ID, video, 10),
        new HeaderExtensionCapability(RtpHeaderExtensionUris.SDES_REPAIRED_RTP_STREAM_ID, video, 11));
  }
}
