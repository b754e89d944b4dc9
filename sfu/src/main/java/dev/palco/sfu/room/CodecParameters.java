package dev.palco.sfu.room;

import java.util.Objects;

/**
 * One negotiated codec of a track, as the media plane uses it.
 *
 * @param name encoding name, e.g. {@code opus}, {@code VP8}, {@code H264} (compared case-insensitively)
 * @param payloadType the negotiated payload type, 0..127
 * @param clockRateHz RTP clock rate
 * @param rtxPayloadType the RFC 4588 RTX payload type ({@code apt} = {@code payloadType}), or -1
 * @param nack whether {@code a=rtcp-fb:<pt> nack} was agreed (RFC 4585 §4.2)
 * @param pli whether {@code nack pli} was agreed
 * @param fir whether {@code ccm fir} was agreed (RFC 5104 §7.1)
 */
public record CodecParameters(
    String name, int payloadType, int clockRateHz, int rtxPayloadType, boolean nack, boolean pli,
    boolean fir) {

  /** Checks the ranges. */
  public CodecParameters {
    Objects.requireNonNull(name, "name");
    if (payloadType < 0 || payloadType > 127 || rtxPayloadType < -1 || rtxPayloadType > 127
        || rtxPayloadType == payloadType || clockRateHz <= 0) {
      throw new IllegalArgumentException("bad codec " + name + " pt=" + payloadType + " rtx="
          + rtxPayloadType + " clock=" + clockRateHz);
    }
  }

  /** Opus at 48 kHz, no RTX, no feedback. */
  public static CodecParameters opus(int payloadType) {
    return new CodecParameters("opus", payloadType, 48_000, -1, false, false, false);
  }

  /** VP8 at 90 kHz with RTX, NACK and PLI. */
  public static CodecParameters vp8(int payloadType, int rtxPayloadType) {
    return new CodecParameters("VP8", payloadType, 90_000, rtxPayloadType, true, true, true);
  }

  /** H.264 at 90 kHz with RTX, NACK and PLI. */
  public static CodecParameters h264(int payloadType, int rtxPayloadType) {
    return new CodecParameters("H264", payloadType, 90_000, rtxPayloadType, true, true, true);
  }

  /** Whether RTX was agreed. */
  public boolean hasRtx() {
    return rtxPayloadType >= 0;
  }

  /** Whether this and {@code other} name the same format (name and clock rate). */
  public boolean sameFormat(CodecParameters other) {
    return clockRateHz == other.clockRateHz && name.equalsIgnoreCase(other.name);
  }

  /** The codec family, for keyframe detection and picture ID rewriting. */
  public CodecFamily family() {
    // Called for every packet (keyframe detection, rewriting): compared in place, because
    // upper-casing "opus" made a new string, and switching on it hashed it, per packet.
    if (name.equalsIgnoreCase("VP8")) {
      return CodecFamily.VP8;
    }
    if (name.equalsIgnoreCase("H264")) {
      return CodecFamily.H264;
    }
    if (name.equalsIgnoreCase("opus")) {
      return CodecFamily.OPUS;
    }
    if (name.equalsIgnoreCase("red")) {
      return CodecFamily.RED;
    }
    return CodecFamily.OTHER;
  }

  /** Codecs the packet path treats specially. */
  public enum CodecFamily {
    /** RFC 7741: keyframes from the payload header, picture IDs rewritten. */
    VP8,
    /** RFC 6184: keyframes from IDR slices and parameter sets. */
    H264,
    /** RFC 7587: audio. */
    OPUS,
    /**
     * RFC 2198: blocks of another codec, the primary last. Forwarded as it is to a subscriber that
     * agreed RED, reduced to its primary block for one that did not.
     */
    RED,
    /** Forwarded without payload inspection; every packet counts as decodable. */
    OTHER
  }
}
