package dev.palco.sfu.sdp;

/**
 * Root of the SDP exception tree. Signaling catches this one type and turns it into an error reply;
 * the subclasses say whether the text was unreadable ({@link SdpParseException}) or readable but not
 * something the SFU can agree to ({@link SdpNegotiationException}).
 *
 * <p>Unchecked, as SDP is handled on the control plane where a failure ends the exchange: nothing in
 * this package returns a partly built description or result once one of these has been thrown.
 */
public class SdpException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** @param message what is wrong, for the remote party's error reply */
  public SdpException(String message) {
    super(message);
  }
}
