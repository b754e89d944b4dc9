package dev.palco.rtp.srtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

/** HMAC-SHA1 on one MessageDigest against RFC 2202 and against javax.crypto's HmacSHA1. */
class HmacSha1AuthenticatorTest {

    /** RFC 2202 §3 test case 1: key = 0x0b repeated 20 times, data = "Hi There". */
    @Test
    void rfc2202TestCase1() throws Exception {
        byte[] key = Hex.decode("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b");
        byte[] data = "Hi There".getBytes(StandardCharsets.US_ASCII);
        HmacSha1Authenticator hmac = new HmacSha1Authenticator(key);
        hmac.computeRtcp(data, 0, data.length);
        byte[] out = new byte[20];
        hmac.writeTag(out, 0, 20);
        assertEquals("b617318655057264e28bc0b6fb378c8ef146be00", Hex.encode(out));
    }

    /** RFC 2202 §3 test case 3: key = 0xaa × 20, data = 0xdd × 50. */
    @Test
    void rfc2202TestCase3() throws Exception {
        byte[] key = new byte[20];
        java.util.Arrays.fill(key, (byte) 0xaa);
        byte[] data = new byte[50];
        java.util.Arrays.fill(data, (byte) 0xdd);
        HmacSha1Authenticator hmac = new HmacSha1Authenticator(key);
        hmac.computeRtcp(data, 0, data.length);
        byte[] out = new byte[20];
        hmac.writeTag(out, 0, 20);
        assertEquals("125d7342b9ac11cd91a39af48aa17b4f63f175d3", Hex.encode(out));
    }

    /** The RTP form authenticates the window then the ROC: as javax.crypto over the same bytes. */
    @Test
    void rtpFormEqualsJavaxOverPacketAndRoc() throws Exception {
        SplittableRandom random = new SplittableRandom(0x4D4AC);
        byte[] key = new byte[20];
        random.nextBytes(key);
        HmacSha1Authenticator hmac = new HmacSha1Authenticator(key);
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(key, "HmacSHA1"));
        for (int n = 0; n < 200; n++) {
            byte[] buf = new byte[random.nextInt(0, 2_000) + 10];
            random.nextBytes(buf);
            int off = random.nextInt(0, 5);
            int len = random.nextInt(0, buf.length - off - 10 + 1);
            int roc = random.nextInt();
            hmac.computeRtp(buf, off, len, roc);
            mac.update(buf, off, len);
            mac.update(new byte[] {(byte) (roc >>> 24), (byte) (roc >>> 16), (byte) (roc >>> 8),
                (byte) roc});
            byte[] expected = mac.doFinal();
            byte[] tag = new byte[10];
            hmac.writeTag(tag, 0, 10);
            assertEquals(Hex.encode(expected, 0, 10), Hex.encode(tag), "input " + n);
            // tagMatches compares exactly the 80-bit prefix.
            System.arraycopy(expected, 0, buf, off + len, 10);
            assertTrue(hmac.tagMatches(buf, off + len, 10));
            buf[off + len + random.nextInt(10)] ^= (byte) (1 << random.nextInt(8));
            assertFalse(hmac.tagMatches(buf, off + len, 10));
        }
    }
}
