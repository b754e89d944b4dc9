package dev.palco.turn;

import java.util.List;
import java.util.Objects;

/**
 * One entry of {@code RTCConfiguration.iceServers} (W3C WebRTC §4.2.1 {@code RTCIceServer}), as
 * signaling hands it to a browser: the field names are the W3C ones.
 *
 * @param urls STUN or TURN URLs (RFC 7064, RFC 7065) sharing this entry's credential
 * @param username the TURN username, or {@code null} for STUN
 * @param credential the TURN password, or {@code null} for STUN
 */
public record IceServer(List<String> urls, String username, String credential) {
  /** Copies the URLs; a credential needs a username and the other way round. */
  public IceServer {
    urls = List.copyOf(urls);
    if (urls.isEmpty()) {
      throw new IllegalArgumentException("an ICE server needs at least one URL");
    }
    if ((username == null) != (credential == null)) {
      throw new IllegalArgumentException("username and credential go together");
    }
  }

  /** A STUN entry: URLs only. */
  public static IceServer stun(List<String> urls) {
    return new IceServer(urls, null, null);
  }

  /** A TURN entry with its credential. */
  public static IceServer turn(List<String> urls, TurnCredential credential) {
    Objects.requireNonNull(credential, "credential");
    return new IceServer(urls, credential.username(), credential.password());
  }

  /** Whether the entry carries a credential. */
  public boolean hasCredential() {
    return username != null;
  }

  /** Never shows the credential. */
  @Override
  public String toString() {
    return "IceServer[urls=" + urls + (username == null ? "" : ", username=" + username + ", credential=<hidden>") + "]";
  }
}
