package dev.palco.signaling.media;

/**
 * The media plane could not parse or negotiate an SDP. The message is shown to the client as it
 * is (WebSocket {@code error} {@code sdp-invalid}, WHIP/WHEP {@code 400}), so it should say what
 * was wrong, for example {@code "m=video mid=1: no supported codec (offered: VP9, AV1)"}.
 */
public class SdpRejectedException extends Exception {
  private static final long serialVersionUID = 1L;

  /** A rejection with the text the client will see. */
  public SdpRejectedException(String message) {
    super(message);
  }
}
