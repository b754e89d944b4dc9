package dev.palco.sfu.sdp;

/**
 * Media direction attributes (RFC 8866 §6.7, RFC 3264 §6.1), always from the point of view of the
 * party whose description carries them. A section without one is {@link #SENDRECV}.
 */
public enum Direction {
  /** Send and receive. */
  SENDRECV("sendrecv", true, true),
  /** Send only. */
  SENDONLY("sendonly", true, false),
  /** Receive only. */
  RECVONLY("recvonly", false, true),
  /** Neither. */
  INACTIVE("inactive", false, false);

  private final String sdpName;
  private final boolean sends;
  private final boolean receives;

  Direction(String sdpName, boolean sends, boolean receives) {
    this.sdpName = sdpName;
    this.sends = sends;
    this.receives = receives;
  }

  /** @return the attribute name, e.g. {@code sendonly} */
  public String sdpName() {
    return sdpName;
  }

  /** @return true if this side sends media */
  public boolean sends() {
    return sends;
  }

  /** @return true if this side receives media */
  public boolean receives() {
    return receives;
  }

  /** @return the direction seen from the other side: sendonly becomes recvonly and back */
  public Direction reversed() {
    return of(receives, sends);
  }

  /** @return the direction with the given send and receive flags */
  public static Direction of(boolean sends, boolean receives) {
    if (sends) {
      return receives ? SENDRECV : SENDONLY;
    }
    return receives ? RECVONLY : INACTIVE;
  }

  /** @return the direction named by an attribute, or null if the name is not a direction */
  public static Direction fromSdpName(String name) {
    for (Direction d : values()) {
      if (d.sdpName.equals(name)) {
        return d;
      }
    }
    return null;
  }
}
