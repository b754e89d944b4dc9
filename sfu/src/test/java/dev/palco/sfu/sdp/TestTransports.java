package dev.palco.sfu.sdp;

import java.util.List;
import java.util.SplittableRandom;

/** Fixed SFU transport parameters and ids for tests. */
final class TestTransports {
  private TestTransports() {}

  static final Fingerprint SFU_FINGERPRINT = Fingerprint.parse(
      "sha-256 0A:1B:2C:3D:4E:5F:60:71:82:93:A4:B5:C6:D7:E8:F9:0A:1B:2C:3D:4E:5F:60:71:82:93:A4:B5:C6:D7:E8:F9");

  /** One UDP host candidate on loopback and one passive ICE-TCP candidate. */
  static final LocalTransport SFU = new LocalTransport("sfuU", "sfuPasswordSfuPassword1", List.of("trickle"),
      false, List.of(SFU_FINGERPRINT),
      List.of(
          IceCandidate.of("1", 1, IceCandidate.Transport.UDP, 2130706431L, "127.0.0.1", 10000,
              IceCandidate.Type.HOST, null, -1, null),
          IceCandidate.of("2", 1, IceCandidate.Transport.TCP, 1694498815L, "127.0.0.1", 10000,
              IceCandidate.Type.HOST, null, -1, IceCandidate.TcpType.PASSIVE)),
      true);

  static AnswerBuilder answerBuilder(SfuCapabilities caps) {
    return new AnswerBuilder(caps, SFU, new SplittableRandom(7));
  }

}
