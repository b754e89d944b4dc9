package dev.palco.sfu.sdp;

import java.util.List;

/**
 * What the SFU can receive and forward: codecs in order of preference, header extensions, and whether
 * it accepts simulcast from publishers. Immutable.
 *
 * @param codecs codecs in preference order (answers list matching codecs in this order)
 * @param extensions accepted header extensions
 * @param acceptSimulcast when true, a publisher's {@code a=simulcast:send} is answered with
 *     {@code a=simulcast:recv} and matching {@code a=rid:... recv} lines (RFC 8853 §5.3); when false
 *     the simulcast lines are left out of the answer and the browser sends a single stream
 */
public record SfuCapabilities(List<CodecCapability> codecs, List<HeaderExtensionCapability> extensions,
    boolean acceptSimulcast) {

  /** Copies the lists so the record stays immutable. */
  public SfuCapabilities {
    codecs = List.copyOf(codecs);
    extensions = List.copyOf(extensions);
  }

  /** Opus, VP8 and H.264 42e01f with RTX; the seven extensions of {@link RtpHeaderExtensionUris}; no simulcast. */
  public static SfuCapabilities defaults() {
    return new SfuCapabilities(CodecCapability.defaults(), HeaderExtensionCapability.defaults(), false);
  }

  /** @return a copy without Opus in RED (RFC 2198): offers of it are answered with plain Opus */
  public SfuCapabilities withoutOpusRed() {
    List<CodecCapability> kept = new java.util.ArrayList<>();
    for (CodecCapability c : codecs) {
      if (!c.isRed()) {
        kept.add(c);
      }
    }
    return new SfuCapabilities(kept, extensions, acceptSimulcast);
  }

  /** @return a copy with simulcast acceptance switched on or off */
  public SfuCapabilities withSimulcast(boolean accept) {
    return new SfuCapabilities(codecs, extensions, accept);
  }

  /** @return the capability for an extension URI on this kind of media, or null */
  HeaderExtensionCapability extension(String uri, MediaKind kind) {
    for (HeaderExtensionCapability e : extensions) {
      if (e.uri().equals(uri) && e.kinds().contains(kind)) {
        return e;
      }
    }
    return null;
  }
}
