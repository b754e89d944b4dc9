package dev.palco.signaling.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.palco.signaling.ErrorCode;
import dev.palco.signaling.MutableClock;
import dev.palco.signaling.Role;
import dev.palco.signaling.SignalingException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class JoinTokensTest {

  private static final byte[] SECRET = "0123456789abcdef-test-secret".getBytes(StandardCharsets.UTF_8);
  private static final Instant NOW = Instant.parse("2026-05-01T10:00:00Z");
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private final MutableClock clock = new MutableClock(NOW);
  private final JoinTokens tokens = new JoinTokens(SECRET, clock);

  @Test
  void validTokenVerifiesWithItsClaims() throws SignalingException {
    String token = tokens.issue("3fk9q2", Role.PRESENTER, NOW.plus(Duration.ofHours(1)));

    JoinToken claims = tokens.verify(token, "3fk9q2");

    assertEquals("3fk9q2", claims.roomId());
    assertEquals(Role.PRESENTER, claims.role());
    assertEquals(NOW.getEpochSecond() + 3600, claims.expiresAtEpochSeconds());
    assertEquals(token, claims.text());
    assertTrue(token.startsWith("v1."));
  }

  @Test
  void payloadIsTheDocumentedJson() {
    String token = tokens.issue("3fk9q2", Role.MODERATOR, Instant.ofEpochSecond(1795392000L));
    String payload = new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8);
    assertEquals("{\"room\":\"3fk9q2\",\"role\":\"moderator\",\"exp\":1795392000}", payload);
    assertTrue(!token.contains("="), "base64url without padding");
  }

  @Test
  void tokenFromAnotherSecretIsABadSignature() {
    JoinTokens other = new JoinTokens("another-server-secret-000".getBytes(StandardCharsets.UTF_8), clock);
    String token = other.issue("3fk9q2", Role.MODERATOR, NOW.plusSeconds(60));
    assertRefused(ErrorCode.TOKEN_BAD_SIGNATURE, token, "3fk9q2");
  }

  @Test
  void forgedPayloadIsABadSignature() {
    // A presenter rewrites its payload to claim the moderator role and keeps its signature.
    String token = tokens.issue("3fk9q2", Role.PRESENTER, NOW.plusSeconds(60));
    String[] parts = token.split("\\.");
    String forgedPayload =
        B64.encodeToString("{\"room\":\"3fk9q2\",\"role\":\"moderator\",\"exp\":1795392000}".getBytes(StandardCharsets.UTF_8));
    assertRefused(ErrorCode.TOKEN_BAD_SIGNATURE, parts[0] + "." + forgedPayload + "." + parts[2], "3fk9q2");
  }

  @Test
  void signatureWithOneBitFlippedIsRefused() {
    String token = tokens.issue("3fk9q2", Role.PRESENTER, NOW.plusSeconds(60));
    String[] parts = token.split("\\.");
    byte[] sig = Base64.getUrlDecoder().decode(parts[2]);
    sig[sig.length - 1] ^= 1;
    assertRefused(ErrorCode.TOKEN_BAD_SIGNATURE, parts[0] + "." + parts[1] + "." + B64.encodeToString(sig), "3fk9q2");
  }

  @Test
  void truncatedSignatureIsRefused() {
    String token = tokens.issue("3fk9q2", Role.PRESENTER, NOW.plusSeconds(60));
    String[] parts = token.split("\\.");
    byte[] sig = Base64.getUrlDecoder().decode(parts[2]);
    byte[] half = java.util.Arrays.copyOf(sig, 16);
    assertRefused(ErrorCode.TOKEN_BAD_SIGNATURE, parts[0] + "." + parts[1] + "." + B64.encodeToString(half), "3fk9q2");
  }

  @Test
  void expiredTokenIsRefusedOnceTheClockPassesExp() throws SignalingException {
    String token = tokens.issue("3fk9q2", Role.PRESENTER, NOW.plusSeconds(60));
    tokens.verify(token, "3fk9q2");

    clock.advance(Duration.ofSeconds(59));
    tokens.verify(token, "3fk9q2");

    clock.advance(Duration.ofSeconds(1));
    assertRefused(ErrorCode.TOKEN_EXPIRED, token, "3fk9q2");
  }

  @Test
  void tokenForAnotherRoomIsTheWrongRoom() {
    String token = tokens.issue("3fk9q2", Role.MODERATOR, NOW.plusSeconds(60));
    assertRefused(ErrorCode.TOKEN_WRONG_ROOM, token, "zz99aa");
  }

  static Stream<Arguments> malformed() {
    String goodSig = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    return Stream.of(
        Arguments.of("empty", ""),
        Arguments.of("one part", "v1"),
        Arguments.of("two parts", "v1.eyJyb29tIjoiYSJ9"),
        Arguments.of("four parts", "v1.eyJyb29tIjoiYSJ9." + goodSig + ".x"),
        Arguments.of("unknown version", "v2.eyJyb29tIjoiYSJ9." + goodSig),
        Arguments.of("empty payload", "v1.." + goodSig),
        Arguments.of("empty signature", "v1.eyJyb29tIjoiYSJ9."),
        Arguments.of("padding in payload", "v1.eyJyb29tIjoiYSJ9==." + goodSig),
        Arguments.of("standard base64 alphabet", "v1.eyJy+29tIjoiYSJ9." + goodSig),
        Arguments.of("not base64 at all", "v1.%%%." + goodSig),
        Arguments.of("spaces", "v1. eyJyb29tIjoiYSJ9 ." + goodSig));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void malformedShapesAreRefused(String label, String token) {
    assertRefused(ErrorCode.TOKEN_MALFORMED, token, "a");
  }

  static Stream<Arguments> badPayloads() {
    return Stream.of(
        Arguments.of("not JSON", "room=a"),
        Arguments.of("JSON array", "[1,2]"),
        Arguments.of("JSON string", "\"a\""),
        Arguments.of("missing room", "{\"role\":\"presenter\",\"exp\":1795392000}"),
        Arguments.of("empty room", "{\"room\":\"\",\"role\":\"presenter\",\"exp\":1795392000}"),
        Arguments.of("numeric room", "{\"room\":7,\"role\":\"presenter\",\"exp\":1795392000}"),
        Arguments.of("missing role", "{\"room\":\"a\",\"exp\":1795392000}"),
        Arguments.of("unknown role", "{\"room\":\"a\",\"role\":\"admin\",\"exp\":1795392000}"),
        Arguments.of("role of no kind", "{\"room\":\"a\",\"role\":\"viewer\",\"exp\":1795392000}"),
        Arguments.of("missing exp", "{\"room\":\"a\",\"role\":\"presenter\"}"),
        Arguments.of("string exp", "{\"room\":\"a\",\"role\":\"presenter\",\"exp\":\"1795392000\"}"),
        Arguments.of("fractional exp", "{\"room\":\"a\",\"role\":\"presenter\",\"exp\":1795392000.5}"));
  }

  @Test
  void audienceTokensVerifyWithTheirRoleAndGrantKeysAreNotTheTokenKey() throws Exception {
    JoinTokens tokens = new JoinTokens(SECRET, java.time.Clock.fixed(java.time.Instant.parse("2026-05-01T10:00:00Z"), java.time.ZoneOffset.UTC));
    String audience = tokens.issue("a", dev.palco.signaling.Role.AUDIENCE, java.time.Instant.parse("2026-05-02T10:00:00Z"));
    org.junit.jupiter.api.Assertions.assertEquals(dev.palco.signaling.Role.AUDIENCE, tokens.verify(audience, "a").role());
    byte[] grantKey = tokens.deriveKey(dev.palco.signaling.audience.StageGrants.KEY_LABEL);
    org.junit.jupiter.api.Assertions.assertEquals(32, grantKey.length);
    org.junit.jupiter.api.Assertions.assertFalse(java.util.Arrays.equals(grantKey, SECRET));
    org.junit.jupiter.api.Assertions.assertFalse(java.util.Arrays.equals(grantKey, tokens.deriveKey("another label")));
  }

  /** Correctly signed payloads that are not valid claims are malformed, not forged. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("badPayloads")
  void signedButInvalidClaimsAreMalformed(String label, String payloadJson) throws Exception {
    String signed = "v1." + B64.encodeToString(payloadJson.getBytes(StandardCharsets.UTF_8));
    javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
    mac.init(new javax.crypto.spec.SecretKeySpec(SECRET, "HmacSHA256"));
    String token = signed + "." + B64.encodeToString(mac.doFinal(signed.getBytes(StandardCharsets.US_ASCII)));
    assertRefused(ErrorCode.TOKEN_MALFORMED, token, "a");
  }

  @Test
  void unknownPayloadFieldsAreIgnored() throws Exception {
    String payload = "{\"room\":\"a\",\"role\":\"presenter\",\"exp\":1795392000,\"note\":\"x\"}";
    String signed = "v1." + B64.encodeToString(payload.getBytes(StandardCharsets.UTF_8));
    javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
    mac.init(new javax.crypto.spec.SecretKeySpec(SECRET, "HmacSHA256"));
    String token = signed + "." + B64.encodeToString(mac.doFinal(signed.getBytes(StandardCharsets.US_ASCII)));
    assertEquals(Role.PRESENTER, tokens.verify(token, "a").role());
  }

  @Test
  void signatureComparisonIsConstantTime() throws IOException {
    // The comparison must be MessageDigest.isEqual, whose running time does not depend on the
    // position of the first differing byte; String.equals or Arrays.equals would leak it. Join
    // tokens and stage grants both verify through the codec.
    String classFile;
    try (InputStream in = SignedTokenCodec.class.getResourceAsStream("SignedTokenCodec.class")) {
      classFile = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }
    assertTrue(classFile.contains("java/security/MessageDigest") && classFile.contains("isEqual"),
        "the codec compares signatures with MessageDigest.isEqual");
    assertTrue(!classFile.contains("java/util/Arrays"), "no Arrays.equals on signatures");
  }

  @Test
  void shortSecretIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> new JoinTokens(new byte[15], clock));
  }

  private void assertRefused(ErrorCode expected, String token, String roomId) {
    SignalingException e = assertThrows(SignalingException.class, () -> tokens.verify(token, roomId));
    assertEquals(expected, e.code(), e.getMessage());
  }
}
