package dev.palco.signaling.media;

import java.util.Objects;

/**
 * ICE credentials of one side (RFC 8839 §5.4: {@code a=ice-ufrag}, {@code a=ice-pwd}).
 *
 * @param ufrag the username fragment
 * @param pwd the password
 */
public record IceParameters(String ufrag, String pwd) {
  /** Checks that both parts are present. */
  public IceParameters {
    Objects.requireNonNull(ufrag, "ufrag");
    Objects.requireNonNull(pwd, "pwd");
  }
}
