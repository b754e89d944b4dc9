package dev.palco.signaling.ws;

/** SDP fixtures: only what the in-memory media plane reads (m-lines, mids, directions). */
final class Sdp {
  private Sdp() {}

  static final String HEADER = "v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
      + "a=group:BUNDLE 0 1\r\na=ice-ufrag:brws\r\na=ice-pwd:browserpassword000000000\r\n";

  /** Microphone on mid 0, camera on mid 1. */
  static final String MIC_AND_CAMERA = HEADER
      + "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:0\r\na=sendonly\r\n"
      + "m=video 9 UDP/TLS/RTP/SAVPF 96\r\na=mid:1\r\na=sendonly\r\n";

  /** The same plus a screen share on mid 2. */
  static final String WITH_SCREEN = MIC_AND_CAMERA
      + "m=video 9 UDP/TLS/RTP/SAVPF 96\r\na=mid:2\r\na=sendonly\r\n";

  /** An answer to any subscribe offer (the double only checks that it is SDP). */
  static final String ANSWER = HEADER + "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:s0\r\na=recvonly\r\n";
}
