package dev.palco.rtp.rtcp;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;

/**
 * Jazzer target for the whole RTCP receive path: compound validation and iteration, then every
 * packet dispatched to its type parser. In a plain {@code mvn test} it runs in regression mode
 * over the seed inputs in {@code RtcpFuzzTestInputs/parseCompound}; with {@code JAZZER_FUZZ=1} it
 * fuzzes.
 */
class RtcpFuzzTest {
  private final RtcpDigest exactFit = new RtcpDigest();
  private final RtcpDigest embedded = new RtcpDigest();

  @FuzzTest
  void parseCompound(byte[] data) {
    // Once flush with the array end (a read past the window throws), once between sentinels.
    long a = exactFit.compound(data, 0, data.length);
    byte[] framed = new byte[data.length + 16];
    Arrays.fill(framed, (byte) 0xEE);
    System.arraycopy(data, 0, framed, 8, data.length);
    long b = embedded.compound(framed, 8, data.length);
    if (a != b) {
      throw new IllegalStateException("parser result depends on bytes outside its window");
    }
  }
}
