package dev.palco.rtp.stun;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link StunMessage} and {@link StunMessageWriter} against RFC 5769's test vectors, malformed tables and seeded noise. */
class StunMessageTest {
  /** RFC 5769 §2: the short-term password of the sample request and response. */
  private static final String PASSWORD = "VOkJxbRl1RmTxUk/WvJxBt";

  /** RFC 5769 §2.1, sample request. */
  static final byte[] SAMPLE_REQUEST = bytes(
      0x00, 0x01, 0x00, 0x58, // Binding request, message length 88
      0x21, 0x12, 0xa4, 0x42, // magic cookie
      0xb7, 0xe7, 0xa7, 0x01, // transaction id (1/3)
      0xbc, 0x34, 0xd6, 0x86, // transaction id (2/3)
      0xfa, 0x87, 0xdf, 0xae, // transaction id (3/3)
      0x80, 0x22, 0x00, 0x10, // SOFTWARE, length 16
      0x53, 0x54, 0x55, 0x4e, // "STUN"
      0x20, 0x74, 0x65, 0x73, // " tes"
      0x74, 0x20, 0x63, 0x6c, // "t cl"
      0x69, 0x65, 0x6e, 0x74, // "ient"
      0x00, 0x24, 0x00, 0x04, // PRIORITY, length 4
      0x6e, 0x00, 0x01, 0xff, // priority 0x6e0001ff
      0x80, 0x29, 0x00, 0x08, // ICE-CONTROLLED, length 8
      0x93, 0x2f, 0xf9, 0xb1, // tie-breaker (high)
      0x51, 0x26, 0x3b, 0x36, // tie-breaker (low)
      0x00, 0x06, 0x00, 0x09, // USERNAME, length 9
      0x65, 0x76, 0x74, 0x6a, // "evtj"
      0x3a, 0x68, 0x36, 0x76, // ":h6v"
      0x59, 0x20, 0x20, 0x20, // "Y" and three bytes of padding (spaces, as the RFC notes)
      0x00, 0x08, 0x00, 0x14, // MESSAGE-INTEGRITY, length 20
      0x9a, 0xea, 0xa7, 0x0c, // HMAC-SHA1 (1/5)
      0xbf, 0xd8, 0xcb, 0x56, // HMAC-SHA1 (2/5)
      0x78, 0x1e, 0xf2, 0xb5, // HMAC-SHA1 (3/5)
      0xb2, 0xd3, 0xf2, 0x49, // HMAC-SHA1 (4/5)
      0xc1, 0xb5, 0x71, 0xa2, // HMAC-SHA1 (5/5)
      0x80, 0x28, 0x00, 0x04, // FINGERPRINT, length 4
      0xe5, 0x7a, 0x3b, 0xcf); // CRC-32 XOR 0x5354554e

  /** RFC 5769 §2.2, sample IPv4 response (mapped address 192.0.2.1:32853). */
  static final byte[] SAMPLE_RESPONSE = bytes(
      0x01, 0x01, 0x00, 0x3c, // Binding success response, message length 60
      0x21, 0x12, 0xa4, 0x42, // magic cookie
      0xb7, 0xe7, 0xa7, 0x01, // transaction id (1/3)
      0xbc, 0x34, 0xd6, 0x86, // transaction id (2/3)
      0xfa, 0x87, 0xdf, 0xae, // transaction id (3/3)
      0x80, 0x22, 0x00, 0x0b, // SOFTWARE, length 11
      0x74, 0x65, 0x73, 0x74, // "test"
      0x20, 0x76, 0x65, 0x63, // " vec"
      0x74, 0x6f, 0x72, 0x20, // "tor" and one byte of padding (a space)
      0x00, 0x20, 0x00, 0x08, // XOR-MAPPED-ADDRESS, length 8
      0x00, 0x01, 0xa1, 0x47, // reserved, family IPv4, port 32853 XOR 0x2112
      0xe1, 0x12, 0xa6, 0x43, // 192.0.2.1 XOR the magic cookie
      0x00, 0x08, 0x00, 0x14, // MESSAGE-INTEGRITY, length 20
      0x2b, 0x91, 0xf5, 0x99, // HMAC-SHA1 (1/5)
      0xfd, 0x9e, 0x90, 0xc3, // HMAC-SHA1 (2/5)
      0x8c, 0x74, 0x89, 0xf9, // HMAC-SHA1 (3/5)
      0x2a, 0xf9, 0xba, 0x53, // HMAC-SHA1 (4/5)
      0xf0, 0x6b, 0xe7, 0xd7, // HMAC-SHA1 (5/5)
      0x80, 0x28, 0x00, 0x04, // FINGERPRINT, length 4
      0xc0, 0x7d, 0x4c, 0x96); // CRC-32 XOR 0x5354554e

  private final StunMessage message = new StunMessage();
  private final StunMessageWriter writer = new StunMessageWriter();
  private final byte[] scratch = new byte[20];

  @Test
  void sampleRequestParsesAndAuthenticates() throws Exception {
    assertEquals(StunDropReason.NONE, message.parse(SAMPLE_REQUEST, 0, SAMPLE_REQUEST.length));
    assertEquals(StunMessage.BINDING_REQUEST, message.type());
    assertEquals(0x6e0001ffL, message.priority());
    assertTrue(message.iceControlled());
    assertFalse(message.iceControlling());
    assertFalse(message.useCandidate());
    assertTrue(message.usernameEquals("evtj:h6vY".getBytes(StandardCharsets.US_ASCII)));
    assertTrue(message.hasFingerprint());
    assertTrue(message.integrityMatches(hmac(PASSWORD), scratch));
    assertFalse(message.integrityMatches(hmac(PASSWORD + "x"), scratch));
    assertTrue(message.transactionIdEquals(SAMPLE_REQUEST, StunMessage.TRANSACTION_ID_OFFSET));
  }

  @Test
  void sampleResponseParsesAndAuthenticates() throws Exception {
    assertEquals(StunDropReason.NONE, message.parse(SAMPLE_RESPONSE, 0, SAMPLE_RESPONSE.length));
    assertEquals(StunMessage.BINDING_SUCCESS_RESPONSE, message.type());
    assertTrue(message.integrityMatches(hmac(PASSWORD), scratch));
  }

  /** The writer's MESSAGE-INTEGRITY and FINGERPRINT over the RFC's own attributes give the RFC's bytes. */
  @Test
  void writerReproducesSampleRequestIntegrityAndFingerprint() throws Exception {
    int beforeIntegrity = SAMPLE_REQUEST.length - 24 - 8;
    byte[] out = new byte[128];
    System.arraycopy(SAMPLE_REQUEST, 0, out, 0, beforeIntegrity);
    int len = writer.appendIntegrity(out, 0, beforeIntegrity, hmac(PASSWORD));
    len = writer.appendFingerprint(out, 0, len);
    assertArrayEquals(SAMPLE_REQUEST, Arrays.copyOf(out, len));
  }

  /** XOR-MAPPED-ADDRESS, integrity and fingerprint written from scratch give RFC 5769 §2.2's response. */
  @Test
  void writerReproducesSampleResponse() throws Exception {
    byte[] out = new byte[128];
    int len = writer.start(out, 0, StunMessage.BINDING_SUCCESS_RESPONSE, SAMPLE_RESPONSE,
        StunMessage.TRANSACTION_ID_OFFSET);
    // SOFTWARE "test vector" with the RFC's space padding, copied as is.
    System.arraycopy(SAMPLE_RESPONSE, 20, out, 20, 16);
    len += 16;
    len = writer.putXorMappedAddressV4(out, 0, len, (192 << 24) | (0 << 16) | (2 << 8) | 1, 32853);
    len = writer.appendIntegrity(out, 0, len, hmac(PASSWORD));
    len = writer.appendFingerprint(out, 0, len);
    assertArrayEquals(SAMPLE_RESPONSE, Arrays.copyOf(out, len));
  }

  /** build → parse → build: a check as the client sends it, at an offset. */
  @Test
  void bindingRequestRoundTrip() throws Exception {
    byte[] out = new byte[300];
    int off = 17;
    byte[] txn = new byte[12];
    new SplittableRandom(1).nextBytes(txn);
    byte[] user = "srvU:cli1".getBytes(StandardCharsets.US_ASCII);
    int len = writer.start(out, off, StunMessage.BINDING_REQUEST, txn, 0);
    len = writer.putAttribute(out, off, len, StunMessage.ATTR_USERNAME, user, 0, user.length);
    len = writer.putInt(out, off, len, StunMessage.ATTR_PRIORITY, 0x6EFFFFFF);
    len = writer.putLong(out, off, len, StunMessage.ATTR_ICE_CONTROLLING, 0x0123456789ABCDEFL);
    len = writer.putFlag(out, off, len, StunMessage.ATTR_USE_CANDIDATE);
    len = writer.appendIntegrity(out, off, len, hmac("remote-password-0123456789"));
    len = writer.appendFingerprint(out, off, len);
    assertEquals(0, len % 4);
    assertEquals(StunDropReason.NONE, message.parse(out, off, len));
    assertEquals(StunMessage.BINDING_REQUEST, message.type());
    assertTrue(message.usernameEquals(user));
    assertFalse(message.usernameEquals("srvU:cli2".getBytes(StandardCharsets.US_ASCII)));
    assertEquals(0x6EFFFFFFL, message.priority());
    assertTrue(message.iceControlling());
    assertTrue(message.useCandidate());
    assertTrue(message.transactionIdEquals(txn, 0));
    assertTrue(message.integrityMatches(hmac("remote-password-0123456789"), scratch));
    assertFalse(message.integrityMatches(hmac("local-password-0123456789"), scratch));
    // Rebuilding from the parsed fields gives the same bytes.
    byte[] again = new byte[300];
    int len2 = writer.start(again, 0, message.type(), out, off + StunMessage.TRANSACTION_ID_OFFSET);
    len2 = writer.putAttribute(again, 0, len2, StunMessage.ATTR_USERNAME, out, message.usernameOffset(),
        message.usernameLength());
    len2 = writer.putInt(again, 0, len2, StunMessage.ATTR_PRIORITY, (int) message.priority());
    len2 = writer.putLong(again, 0, len2, StunMessage.ATTR_ICE_CONTROLLING, 0x0123456789ABCDEFL);
    len2 = writer.putFlag(again, 0, len2, StunMessage.ATTR_USE_CANDIDATE);
    len2 = writer.appendIntegrity(again, 0, len2, hmac("remote-password-0123456789"));
    len2 = writer.appendFingerprint(again, 0, len2);
    assertArrayEquals(Arrays.copyOfRange(out, off, off + len), Arrays.copyOf(again, len2));
  }

  static Stream<Arguments> malformed() {
    return Stream.of(
        Arguments.of("empty", new byte[0], StunDropReason.TOO_SHORT),
        Arguments.of("19 bytes", Arrays.copyOf(SAMPLE_REQUEST, 19), StunDropReason.TOO_SHORT),
        Arguments.of("top bits set", with(SAMPLE_REQUEST, 0, 0x40), StunDropReason.NOT_STUN),
        Arguments.of("no magic cookie", with(SAMPLE_REQUEST, 4, 0x22), StunDropReason.NOT_STUN),
        Arguments.of("length not a multiple of 4", with(SAMPLE_REQUEST, 3, 0x57), StunDropReason.BAD_LENGTH),
        Arguments.of("length longer than the datagram", with(SAMPLE_REQUEST, 3, 0x5c), StunDropReason.BAD_LENGTH),
        Arguments.of("truncated datagram", Arrays.copyOf(SAMPLE_REQUEST, 96), StunDropReason.BAD_LENGTH),
        Arguments.of("attribute past the end", with(SAMPLE_REQUEST, 23, 0xF0), StunDropReason.ATTRIBUTE_OVERRUN),
        Arguments.of("PRIORITY of 5 bytes", with(SAMPLE_REQUEST, 43, 0x05), StunDropReason.BAD_ATTRIBUTE),
        Arguments.of("MESSAGE-INTEGRITY of 16 bytes", with(SAMPLE_REQUEST, 79, 0x10), StunDropReason.BAD_ATTRIBUTE),
        Arguments.of("FINGERPRINT flipped", with(SAMPLE_REQUEST, 107, 0xce), StunDropReason.BAD_FINGERPRINT),
        Arguments.of("USERNAME flipped (fingerprint catches it)", with(SAMPLE_REQUEST, 64, 0x66),
            StunDropReason.BAD_FINGERPRINT),
        Arguments.of("attribute after FINGERPRINT", appendAttribute(SAMPLE_REQUEST), StunDropReason.ATTRIBUTE_MISPLACED));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void malformedInputIsDroppedWithItsReason(String name, byte[] input, StunDropReason expected) {
    assertEquals(expected, message.parse(input, 0, input.length));
    assertEquals(-1, message.type());
  }

  /**
   * 200,000 seeded inputs — random, truncated, oversized and bit-flipped valid messages — each
   * placed at a non-zero offset between sentinel bytes: parsing must return, never throw, and give
   * the same result as a copy placed elsewhere (a read outside the window would differ or throw).
   */
  @Test
  void seededBadInputNeverThrowsOrReadsOutsideItsWindow() throws Exception {
    SplittableRandom random = new SplittableRandom(0x5354554EL);
    Mac mac = hmac(PASSWORD);
    byte[][] valid = {SAMPLE_REQUEST, SAMPLE_RESPONSE};
    StunMessage other = new StunMessage();
    byte[] scratch2 = new byte[20];
    int parsed = 0;
    for (int i = 0; i < 200_000; i++) {
      byte[] input = mutate(random, valid[i & 1], i % 4);
      int offA = 1 + random.nextInt(8);
      byte[] a = new byte[offA + input.length + 1 + random.nextInt(8)];
      Arrays.fill(a, (byte) 0xA5);
      System.arraycopy(input, 0, a, offA, input.length);
      byte[] b = new byte[3 + input.length + 5];
      Arrays.fill(b, (byte) 0x5A);
      System.arraycopy(input, 0, b, 3, input.length);
      StunDropReason ra = message.parse(a, offA, input.length);
      StunDropReason rb = other.parse(b, 3, input.length);
      assertEquals(rb, ra);
      if (ra == StunDropReason.NONE) {
        parsed++;
        assertEquals(other.type(), message.type());
        assertEquals(other.priority(), message.priority());
        assertEquals(other.integrityMatches(mac, scratch2), message.integrityMatches(mac, scratch));
      }
      assertEquals(StunMessage.isBindingRequestForOtherUfrag(b, 3, input.length, EVTJ),
          StunMessage.isBindingRequestForOtherUfrag(a, offA, input.length, EVTJ));
    }
    assertTrue(parsed > 0, "some mutated inputs must still parse");
  }

  private static byte[] mutate(SplittableRandom random, byte[] valid, int kind) {
    switch (kind) {
      case 0: { // random bytes, sometimes with a STUN-looking header
        byte[] r = new byte[random.nextInt(140)];
        random.nextBytes(r);
        if (r.length >= 8 && random.nextBoolean()) {
          r[0] &= 0x3F;
          r[4] = 0x21;
          r[5] = 0x12;
          r[6] = (byte) 0xa4;
          r[7] = 0x42;
          r[2] = 0;
          r[3] = (byte) ((r.length - 20) & ~3);
        }
        return r;
      }
      case 1: // truncated
        return Arrays.copyOf(valid, random.nextInt(valid.length + 1));
      case 2: { // oversized: trailing garbage
        byte[] r = Arrays.copyOf(valid, valid.length + 1 + random.nextInt(40));
        for (int j = valid.length; j < r.length; j++) {
          r[j] = (byte) random.nextInt(256);
        }
        return r;
      }
      default: { // bit flips
        byte[] r = valid.clone();
        int flips = 1 + random.nextInt(3);
        for (int j = 0; j < flips; j++) {
          int bit = random.nextInt(r.length * 8);
          r[bit >>> 3] ^= (byte) (1 << (bit & 7));
        }
        return r;
      }
    }
  }

  private static final byte[] EVTJ = "evtj".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  /** The sample request's USERNAME is "evtj:h6vY": it names the receiver "evtj". */
  @Test
  void bindingRequestPeekComparesTheReceiversUfrag() {
    byte[] framed = new byte[SAMPLE_REQUEST.length + 9];
    Arrays.fill(framed, (byte) ':');
    System.arraycopy(SAMPLE_REQUEST, 0, framed, 4, SAMPLE_REQUEST.length);
    int len = SAMPLE_REQUEST.length;
    assertFalse(StunMessage.isBindingRequestForOtherUfrag(framed, 4, len, EVTJ));
    assertTrue(StunMessage.isBindingRequestForOtherUfrag(framed, 4, len, bytesOf("evt")), "a prefix is another ufrag");
    assertTrue(StunMessage.isBindingRequestForOtherUfrag(framed, 4, len, bytesOf("evtjx")));
    assertTrue(StunMessage.isBindingRequestForOtherUfrag(framed, 4, len, bytesOf("h6vY")), "the sender's part does not count");
    // A response, or a request without USERNAME, never names another session.
    assertFalse(StunMessage.isBindingRequestForOtherUfrag(SAMPLE_RESPONSE, 0, SAMPLE_RESPONSE.length, bytesOf("x")));
    byte[] noUser = SAMPLE_REQUEST.clone();
    noUser[20 + 20 + 8 + 12] = 0x7F; // USERNAME's type (0x0006) becomes 0x7F06, comprehension-optional
    assertFalse(StunMessage.isBindingRequestForOtherUfrag(noUser, 0, noUser.length, bytesOf("x")));
    // A USERNAME with no colon is all receiver ufrag.
    byte[] noColon = SAMPLE_REQUEST.clone();
    noColon[20 + 20 + 8 + 12 + 4 + 4] = 'x'; // ':' of "evtj:h6vY"
    assertTrue(StunMessage.isBindingRequestForOtherUfrag(noColon, 0, noColon.length, EVTJ));
    assertFalse(StunMessage.isBindingRequestForOtherUfrag(noColon, 0, noColon.length, bytesOf("evtjxh6vY")));
    // Truncated inside the attribute: not a readable USERNAME.
    assertFalse(StunMessage.isBindingRequestForOtherUfrag(framed, 4, 20 + 20 + 8 + 12 + 6, bytesOf("x")));
  }

  private static byte[] bytesOf(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  }

  @Test
  void fingerprintMismatchAfterAuthenticatedContentChange() throws Exception {
    byte[] copy = SAMPLE_REQUEST.clone();
    copy[45] ^= 1; // PRIORITY changed: both integrity and fingerprint would fail; fingerprint is checked first
    assertNotEquals(StunDropReason.NONE, message.parse(copy, 0, copy.length));
  }

  private static byte[] with(byte[] src, int index, int value) {
    byte[] copy = src.clone();
    copy[index] = (byte) value;
    return copy;
  }

  private static byte[] appendAttribute(byte[] src) {
    byte[] copy = Arrays.copyOf(src, src.length + 4);
    copy[src.length] = 0x00;
    copy[src.length + 1] = 0x25; // USE-CANDIDATE after FINGERPRINT
    copy[3] = (byte) (copy[3] + 4);
    return copy;
  }

  static Mac hmac(String password) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA1");
    mac.init(new SecretKeySpec(password.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
    return mac;
  }

  private static byte[] bytes(int... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      b[i] = (byte) values[i];
    }
    return b;
  }
}
