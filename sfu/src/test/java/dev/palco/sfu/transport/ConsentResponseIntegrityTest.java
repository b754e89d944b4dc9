package dev.palco.sfu.transport;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.ice4j.StunException;
import org.ice4j.Transport;
import org.ice4j.TransportAddress;
import org.ice4j.attribute.Attribute;
import org.ice4j.attribute.MessageIntegrityAttribute;
import org.ice4j.message.Message;
import org.ice4j.stack.RawMessage;
import org.junit.jupiter.api.Test;

/**
 * The MESSAGE-INTEGRITY check the consent monitor applies to responses (RFC 5389 §15.4), against the
 * RFC 5769 §2.2 sample response.
 */
class ConsentResponseIntegrityTest {
    /** RFC 5769 §2.2: the short-term password of the sample messages. */
    private static final byte[] PASSWORD = "VOkJxbRl1RmTxUk/WvJxBt".getBytes(StandardCharsets.UTF_8);

    /** RFC 5769 §2.2 sample IPv4 Binding success response. */
    private static final byte[] RFC5769_IPV4_RESPONSE = {
        0x01, 0x01, 0x00, 0x3c, // Binding success response (0x0101), message length 60
        0x21, 0x12, (byte) 0xa4, 0x42, // magic cookie
        (byte) 0xb7, (byte) 0xe7, (byte) 0xa7, 0x01, // transaction ID, bytes 0-3
        (byte) 0xbc, 0x34, (byte) 0xd6, (byte) 0x86, // transaction ID, bytes 4-7
        (byte) 0xfa, (byte) 0x87, (byte) 0xdf, (byte) 0xae, // transaction ID, bytes 8-11
        (byte) 0x80, 0x22, 0x00, 0x0b, // SOFTWARE attribute, length 11
        0x74, 0x65, 0x73, 0x74, // "test"
        0x20, 0x76, 0x65, 0x63, // " vec"
        0x74, 0x6f, 0x72, 0x20, // "tor" + one padding byte (0x20)
        0x00, 0x20, 0x00, 0x08, // XOR-MAPPED-ADDRESS attribute, length 8
        0x00, 0x01, (byte) 0xa1, 0x47, // reserved, family IPv4, port 32853 xor 0x2112
        (byte) 0xe1, 0x12, (byte) 0xa6, 0x43, // 192.0.2.1 xor magic cookie
        0x00, 0x08, 0x00, 0x14, // MESSAGE-INTEGRITY attribute, length 20
        0x2b, (byte) 0x91, (byte) 0xf5, (byte) 0x99, // HMAC-SHA1, bytes 0-3
        (byte) 0xfd, (byte) 0x9e, (byte) 0x90, (byte) 0xc3, // HMAC-SHA1, bytes 4-7
        (byte) 0x8c, 0x74, (byte) 0x89, (byte) 0xf9, // HMAC-SHA1, bytes 8-11
        0x2a, (byte) 0xf9, (byte) 0xba, 0x53, // HMAC-SHA1, bytes 12-15
        (byte) 0xf0, 0x6b, (byte) 0xe7, (byte) 0xd7, // HMAC-SHA1, bytes 16-19
        (byte) 0x80, 0x28, 0x00, 0x04, // FINGERPRINT attribute, length 4
        (byte) 0xc0, 0x7d, 0x4c, (byte) 0x96, // CRC-32 xor 0x5354554e
    };

    private static boolean verify(byte[] message, byte[] key) throws StunException {
        Message decoded = Message.decode(message, 0, message.length);
        MessageIntegrityAttribute mi = (MessageIntegrityAttribute) decoded.getAttribute(Attribute.MESSAGE_INTEGRITY);
        TransportAddress any = new TransportAddress("127.0.0.1", 9, Transport.UDP);
        RawMessage raw = RawMessage.build(message, message.length, any, any);
        return ConsentFreshnessMonitor.integrityMatches(mi, raw, key);
    }

    @Test
    void rfc5769SampleResponseVerifiesWithItsPassword() throws Exception {
        assertTrue(verify(RFC5769_IPV4_RESPONSE, PASSWORD));
    }

    @Test
    void wrongPasswordIsRejected() throws Exception {
        assertFalse(verify(RFC5769_IPV4_RESPONSE, "VOkJxbRl1RmTxUk/WvJxBT".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void everySingleBitFlipInTheCoveredBytesIsRejected() throws Exception {
        // Bytes 0-47 (header, SOFTWARE, XOR-MAPPED-ADDRESS) are the HMAC input, except the length
        // field (2-3), which the check rewrites; 48-51 are the MI header and 52-71 the HMAC itself.
        // FINGERPRINT (72-79) follows MESSAGE-INTEGRITY and is deliberately not covered by it.
        int checked = 0;
        for (int bit = 0; bit < 72 * 8; bit++) {
            int index = bit / 8;
            if (index == 2 || index == 3 || (index >= 48 && index < 52)) {
                continue; // length field and MI header: flips there change decoding, not the HMAC input
            }
            byte[] m = RFC5769_IPV4_RESPONSE.clone();
            m[index] ^= (byte) (1 << (bit % 8));
            boolean accepted;
            try {
                accepted = verify(m, PASSWORD);
            } catch (StunException | RuntimeException decodingFailed) {
                accepted = false; // ice4j refused to decode it: equally rejected
            }
            assertFalse(accepted, "bit flip at byte " + index + " accepted");
            checked++;
        }
        assertTrue(checked == (72 - 6) * 8);
    }

    @Test
    void randomKeysNeverVerify() throws Exception {
        SplittableRandom random = new SplittableRandom(7675);
        for (int i = 0; i < 2_000; i++) {
            byte[] key = new byte[1 + random.nextInt(40)];
            random.nextBytes(key);
            assertFalse(verify(RFC5769_IPV4_RESPONSE, key));
        }
    }
}
