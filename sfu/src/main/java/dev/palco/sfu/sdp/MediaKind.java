package dev.palco.sfu.sdp;

/** The RTP media kinds the SFU forwards; the {@code <media>} field of an {@code m=} line. */
public enum MediaKind {
  /** {@code m=audio}. */
  AUDIO("audio"),
  /** {@code m=video}. */
  VIDEO("video");

  private final String sdpName;

  MediaKind(String sdpName) {
    this.sdpName = sdpName;
  }

  /** @return the {@code m=} media name */
  public String sdpName() {
    return sdpName;
  }

  /** @return the kind for an {@code m=} media name, or null for anything else (application, text...) */
  public static MediaKind fromSdpName(String media) {
    for (MediaKind k : values()) {
      if (k.sdpName.equals(media)) {
        return k;
      }
    }
    return null;
  }
}
