package dev.palco.bridge.origin;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ViewerTokensTest {

    private static final byte[] KEY = "viewer-token-key-for-tests-only!".getBytes(StandardCharsets.US_ASCII);

    @Test
    void aTokenIsValidUntilItExpires() {
        String t = ViewerTokens.issue(KEY, 1_000);
        assertTrue(ViewerTokens.verify(KEY, t, 999));
        assertTrue(ViewerTokens.verify(KEY, t, 1_000));
        assertFalse(ViewerTokens.verify(KEY, t, 1_001));
    }

    @Test
    void changingTheExpiryBreaksTheSignature() {
        String t = ViewerTokens.issue(KEY, 1_000);
        assertFalse(ViewerTokens.verify(KEY, "2000" + t.substring(t.indexOf('.')), 0));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "1000", "1000.", ".abc", "x.abc", "1000.!!!", "99999999999999999999.abc",
        "1000.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"})
    void malformedTokensAreRefused(String token) {
        assertFalse(ViewerTokens.verify(KEY, token, 0));
    }
}
