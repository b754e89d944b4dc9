package dev.palco.bridge.origin;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signed viewer URLs: {@code token=<expiry epoch seconds>.<base64url HMAC-SHA256(key, "palco-hls:" + expiry)>}.
 *
 * <p>One token opens every resource of the presentation until it expires, so a player appends the
 * same query parameter to every request (hls.js: {@code xhrSetup}). Behind a CDN the token must not
 * be part of the cache key (strip {@code token} from the key and check it at the edge, or cache
 * everything by path only), or every viewer would miss the cache.
 */
public final class ViewerTokens {

    private static final String ALGORITHM = "HmacSHA256";
    private static final String LABEL = "palco-hls:";

    private ViewerTokens() {
    }

    /** A token valid until {@code expiresEpochS}. */
    public static String issue(byte[] key, long expiresEpochS) {
        return expiresEpochS + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(mac(key, expiresEpochS));
    }

    /** Whether {@code token} was issued with {@code key} and has not expired at {@code nowEpochS}. */
    public static boolean verify(byte[] key, String token, long nowEpochS) {
        if (token == null) {
            return false;
        }
        int dot = token.indexOf('.');
        if (dot <= 0 || dot > 12) {
            return false;
        }
        long expires;
        try {
            expires = Long.parseLong(token.substring(0, dot));
        } catch (NumberFormatException e) {
            return false;
        }
        if (expires < nowEpochS) {
            return false;
        }
        byte[] given;
        try {
            given = Base64.getUrlDecoder().decode(token.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(mac(key, expires), given);
    }

    private static byte[] mac(byte[] key, long expiresEpochS) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(key, ALGORITHM));
            return mac.doFinal((LABEL + expiresEpochS).getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required by every Java platform", e);
        }
    }
}
