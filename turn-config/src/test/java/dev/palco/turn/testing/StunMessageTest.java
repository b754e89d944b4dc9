package dev.palco.turn.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The test client's STUN codec: what it writes parses back, and garbage never makes it throw. */
class StunMessageTest {

  private static final byte[] TX = HexFormat.of().parseHex("b7e7a701bc34d686fa87dfae");

  /**
   * A 401 challenge to an Allocate, shaped as coturn sends it (RFC 8489 §9.2.4), minus NONCE.
   */
  private static final byte[] CHALLENGE =
      HexFormat.of()
          .parseHex(
              "0113" // Allocate error response
                  + "001c" // length 28: two attributes
                  + "2112a442" // magic cookie
                  + "b7e7a701bc34d686fa87dfae" // transaction id
                  + "0009" + "0010" // ERROR-CODE, 16 bytes
                  + "0000" + "04" + "01" // reserved, class 4, number 1: 401
                  + "556e617574686f72697a6564" // "Unauthorized"
                  + "0014" + "0004" // REALM, 4 bytes
                  + "726c6d21"); // "rlm!"

  @Test
  void parsesAChallenge() {
    StunMessage.Parsed p = StunMessage.parse(CHALLENGE, 0, CHALLENGE.length);

    assertNotNull(p);
    assertEquals(StunMessage.ALLOCATE_ERROR, p.type());
    assertEquals(401, p.errorCode());
    assertEquals("rlm!", p.realm());
    assertArrayEquals(TX, p.transactionId());
  }

  @Test
  void aSignedRequestVerifiesWithItsKeyOnly() throws Exception {
    byte[] key = StunMessage.longTermKey("1767225600:ada", "palco.test", "pw");
    byte[] request =
        StunMessage.createPermission(TX, InetAddress.getByName("192.0.2.1"), "1767225600:ada", "palco.test", "n0nce", key);

    StunMessage.Parsed p = StunMessage.parse(request, 0, request.length);

    assertNotNull(p);
    assertEquals(StunMessage.CREATE_PERMISSION_REQUEST, p.type());
    assertEquals("palco.test", p.realm());
    assertEquals("n0nce", p.nonce());
    assertTrue(p.integrityVerifies(key));
    assertTrue(!p.integrityVerifies(StunMessage.longTermKey("1767225600:ada", "palco.test", "other")));
  }

  @Test
  void xorAddressesRoundTrip() throws Exception {
    byte[] request = StunMessage.createPermission(TX, InetAddress.getByName("2001:db8::7"), "u", "r", "n", new byte[16]);
    // Read XOR-PEER-ADDRESS back through the relayed-address path by renaming the attribute.
    byte[] renamed = request.clone();
    renamed[21] = 0x16;

    StunMessage.Parsed p = StunMessage.parse(renamed, 0, renamed.length);

    assertEquals(new InetSocketAddress(InetAddress.getByName("2001:db8::7"), 9), p.relayed());
  }

  @Test
  void neverThrowsOrReadsOutsideItsWindow() throws Exception {
    SplittableRandom random = new SplittableRandom(0x5714_2026L);
    byte[][] seeds = {
      CHALLENGE,
      StunMessage.allocate(TX, "1767225600:ada", "palco.test", "nonce", new byte[16]),
      StunMessage.createPermission(TX, InetAddress.getByName("2001:db8::7"), "u", "r", "n", new byte[16]),
    };
    for (int i = 0; i < 100_000; i++) {
      byte[] seed = seeds[i % seeds.length];
      byte[] input;
      switch (i % 4) {
        case 0 -> input = Arrays.copyOf(seed, random.nextInt(seed.length + 1));
        case 1 -> {
          input = seed.clone();
          for (int f = 1 + random.nextInt(4); f > 0; f--) {
            input[random.nextInt(input.length)] ^= (byte) (1 << random.nextInt(8));
          }
        }
        case 2 -> {
          input = new byte[random.nextInt(80)];
          random.nextBytes(input);
          if (input.length >= 8) {
            System.arraycopy(seed, 0, input, 0, 8);
          }
        }
        default -> {
          input = Arrays.copyOf(seed, seed.length + 4 * random.nextInt(4));
          input[2] = (byte) random.nextInt(256);
          input[3] = (byte) (random.nextInt(64) * 4);
        }
      }
      // At an offset inside a larger array with sentinels around: a read outside (off, len) would
      // either throw or give a different answer than the same bytes placed elsewhere.
      byte[] framed = new byte[input.length + 37];
      Arrays.fill(framed, (byte) 0x5a);
      System.arraycopy(input, 0, framed, 17, input.length);
      StunMessage.Parsed inFrame = StunMessage.parse(framed, 17, input.length);
      StunMessage.Parsed alone = StunMessage.parse(input, 0, input.length);
      assertEquals(alone == null, inFrame == null, "input " + i);
      if (alone != null) {
        assertEquals(alone.type(), inFrame.type());
        assertEquals(alone.errorCode(), inFrame.errorCode());
        assertEquals(alone.realm(), inFrame.realm());
        assertEquals(alone.relayed(), inFrame.relayed());
      }
    }
    assertNull(StunMessage.parse(new byte[0], 0, 0));
  }
}
