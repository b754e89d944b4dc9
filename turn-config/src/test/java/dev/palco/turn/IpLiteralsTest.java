package dev.palco.turn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Address literals parse as the JDK parses them, and nothing else parses. */
class IpLiteralsTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "0.0.0.0", "127.0.0.1", "255.255.255.255", "10.20.30.40",
        "::1", "fe80::1", "2001:db8::7", "1:2:3:4:5:6:7:8", "1::8", "1:2:3:4:5:6:7::", "::2:3:4:5:6:7:8",
        "fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "64:ff9b::ffff:ffff", "::0102:0304", "2001:DB8::A"
      })
  void validLiteralsParseLikeTheJdk(String literal) throws Exception {
    // Literals only: InetAddress does not look these up.
    assertArrayEquals(InetAddress.getByName(literal).getAddress(), IpLiterals.parse(literal));
  }

  @ParameterizedTest
  @ValueSource(strings = {"::ffff:0:0", "::ffff:ffff:ffff", "::ffff:10.1.2.3"})
  void ipv4MappedStaysSixteenBytes(String literal) {
    byte[] a = IpLiterals.parse(literal);
    // The JDK turns these into IPv4; coturn and we keep them as IPv6 (::ffff:a.b.c.d).
    assertArrayEquals(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff}, java.util.Arrays.copyOf(a, 12));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "", "1", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.-4", "01234.1.1.1", "1..2.3", "1.2.3.4 ",
        ":", ":::", "1:::2", "1::2::3", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "12345::", "g::1", "::1:",
        ":1::", "1.2.3.4::", "[::1]", "fe80::1%eth0", "::1/128", "1:2:3:4:5:6:7:8::", "::1.2.3"
      })
  void everythingElseIsRefused(String text) {
    assertNull(IpLiterals.parse(text));
  }
}
