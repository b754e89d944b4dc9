package dev.palco.sfu.sdp;

/**
 * The {@code a=setup} attribute (RFC 4145 §4, as used for DTLS by RFC 8842 §5): which side opens the
 * DTLS association. {@code active} is the DTLS client, {@code passive} the DTLS server, and
 * {@code actpass} (offers only) lets the answerer choose.
 */
public enum SetupRole {
  /** This side is the DTLS client. */
  ACTIVE("active"),
  /** This side is the DTLS server. */
  PASSIVE("passive"),
  /** Offer only: the answerer picks. */
  ACTPASS("actpass"),
  /** No connection now (not used by WebRTC). */
  HOLDCONN("holdconn");

  private final String sdpName;

  SetupRole(String sdpName) {
    this.sdpName = sdpName;
  }

  /** @return the attribute value, e.g. {@code actpass} */
  public String sdpName() {
    return sdpName;
  }

  static SetupRole parse(String value) {
    for (SetupRole r : values()) {
      if (r.sdpName.equals(value)) {
        return r;
      }
    }
    throw new IllegalArgumentException("unknown setup role '" + SdpTokens.shorten(value) + "'");
  }
}
