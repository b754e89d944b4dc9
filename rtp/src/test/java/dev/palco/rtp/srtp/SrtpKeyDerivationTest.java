package dev.palco.rtp.srtp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 3711 Appendix B.2 (AES-CM key stream) and B.3 (key derivation). */
class SrtpKeyDerivationTest {

    // ---- RFC 3711 Appendix B.3: key derivation test vectors ----

    /** B.3 master key (128 bits). */
    private static final byte[] B3_MASTER_KEY = Hex.decode("E1F97A0D3E018BE0D64FA32C06DE4139");
    /** B.3 master salt (112 bits). */
    private static final byte[] B3_MASTER_SALT = Hex.decode("0EC675AD498AFEEBB6960B3AABE6");

    @Test
    void b3CipherKeyLabel0() {
        // label 0x00, packet index 0, kdr 0: IV = 0EC675AD498AFEEBB6960B3AABE6 0000
        assertEquals("c61e7a93744f39ee10734afe3ff7a087", Hex.encode(
                SrtpKeyDerivation.deriveSessionKey(B3_MASTER_KEY, B3_MASTER_SALT,
                        SrtpKeyDerivation.LABEL_RTP_ENCRYPTION, 16)));
    }

    @Test
    void b3CipherSaltLabel2() {
        // label 0x02: IV = 0EC675AD498AFEE9B6960B3AABE6 0000 (byte 7 XOR 02)
        assertEquals("30cbbc08863d8c85d49db34a9ae1", Hex.encode(
                SrtpKeyDerivation.deriveSessionKey(B3_MASTER_KEY, B3_MASTER_SALT,
                        SrtpKeyDerivation.LABEL_RTP_SALT, 14)));
    }

    @Test
    void b3AuthKeyLabel1FirstTwentyBytes() {
        // label 0x01: IV = 0EC675AD498AFEEAB6960B3AABE6 0000. The RFC lists 94 bytes of key
        // stream; HMAC-SHA1 uses the first 160 bits (RFC 3711 §5.2).
        assertEquals("cebe321f6ff7716b6fd4ab49af256a156d38baa4", Hex.encode(
                SrtpKeyDerivation.deriveSessionKey(B3_MASTER_KEY, B3_MASTER_SALT,
                        SrtpKeyDerivation.LABEL_RTP_AUTH, 20)));
    }

    // ---- RFC 3711 Appendix B.2: AES-CM key stream ----

    /** B.2 session key. */
    private static final byte[] B2_SESSION_KEY = Hex.decode("2B7E151628AED2A6ABF7158809CF4F3C");
    /**
     * B.2 IV: session salt F0F1F2F3F4F5F6F7F8F9FAFBFCFD shifted left 16 bits, XOR SSRC 0 at bits
     * 64..95 and packet index 0 (ROC 0, SEQ 0) at bits 16..63: the "offset"
     * F0F1F2F3F4F5F6F7F8F9FAFBFCFD0000.
     */
    private static final byte[] B2_OFFSET = Hex.decode("F0F1F2F3F4F5F6F7F8F9FAFBFCFD0000");

    @ParameterizedTest(name = "counter block {0}")
    @CsvSource({
        // block index (the low 16 bits of the counter), key stream block
        "0,     E03EAD0935C95E80E166B16DD92B4EB4",
        "1,     D23513162B02D0F72A43A2FE4A5F97AB",
        "2,     41E95B3BB0A2E8DD477901E4FCA894C0",
        "65279, EC8CDF7398607CB0F2D21675EA9EA1E4", // 0xFEFF
        "65280, 362B7C3C6773516318A077D7FC5073AE", // 0xFF00
        "65281, 6A2CC3787889374FBEB4C81B17BA6C44", // 0xFF01
    })
    void b2KeystreamMatchesJavaxAesCtr(int block, String expected) throws Exception {
        Cipher ctr = Cipher.getInstance("AES/CTR/NoPadding");
        ctr.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(B2_SESSION_KEY, "AES"),
                new IvParameterSpec(B2_OFFSET));
        // Key stream = encryption of zeros; skip to the wanted block.
        byte[] stream = ctr.doFinal(new byte[(block + 1) * 16]);
        assertEquals(expected.toLowerCase(), Hex.encode(stream, block * 16, 16));
    }

    /** Blocks 0..0xFF01 of the B.2 key stream from our generator, XORed into zeros once. */
    private static byte[] b2StreamFromGenerator;
    /** Where the stream starts inside {@link #b2StreamFromGenerator}: not at 0, sentinels around. */
    private static final int B2_OFFSET_IN_BUFFER = 13;

    private static synchronized byte[] b2StreamFromGenerator() throws Exception {
        if (b2StreamFromGenerator == null) {
            // B.2's salt F0..FD is the session salt k_s; SSRC 0 and index 0 leave it unchanged.
            AesCmKeystreamGenerator generator = new AesCmKeystreamGenerator(B2_SESSION_KEY,
                    Hex.decode("F0F1F2F3F4F5F6F7F8F9FAFBFCFD"));
            int len = (0xFF01 + 1) * 16;
            byte[] buf = new byte[B2_OFFSET_IN_BUFFER + len + 9];
            java.util.Arrays.fill(buf, (byte) 0x77);
            java.util.Arrays.fill(buf, B2_OFFSET_IN_BUFFER, B2_OFFSET_IN_BUFFER + len, (byte) 0);
            generator.xor(buf, B2_OFFSET_IN_BUFFER, len, 0, 0L);
            for (int i = 0; i < B2_OFFSET_IN_BUFFER; i++) {
                assertEquals((byte) 0x77, buf[i], "byte before the window changed");
            }
            for (int i = B2_OFFSET_IN_BUFFER + len; i < buf.length; i++) {
                assertEquals((byte) 0x77, buf[i], "byte after the window changed");
            }
            b2StreamFromGenerator = buf;
        }
        return b2StreamFromGenerator;
    }

    @ParameterizedTest(name = "counter block {0}")
    @CsvSource({
        // block index (the low 16 bits of the counter), key stream block
        "0,     E03EAD0935C95E80E166B16DD92B4EB4",
        "1,     D23513162B02D0F72A43A2FE4A5F97AB",
        "2,     41E95B3BB0A2E8DD477901E4FCA894C0",
        "65279, EC8CDF7398607CB0F2D21675EA9EA1E4", // 0xFEFF
        "65280, 362B7C3C6773516318A077D7FC5073AE", // 0xFF00
        "65281, 6A2CC3787889374FBEB4C81B17BA6C44", // 0xFF01
    })
    void b2KeystreamFromOurEcbCounterGenerator(int block, String expected) throws Exception {
        assertEquals(expected.toLowerCase(),
                Hex.encode(b2StreamFromGenerator(), B2_OFFSET_IN_BUFFER + block * 16, 16));
    }

    @Test
    void keystreamOfAnUnalignedLengthIsAPrefixOfTheLongerOne() throws Exception {
        AesCmKeystreamGenerator generator = new AesCmKeystreamGenerator(B2_SESSION_KEY,
                Hex.decode("F0F1F2F3F4F5F6F7F8F9FAFBFCFD"));
        byte[] full = b2StreamFromGenerator();
        // Lengths around the block size and the generator's internal chunk of 96 blocks.
        for (int len : new int[] {0, 1, 15, 16, 17, 1535, 1536, 1537, 3100}) {
            byte[] part = new byte[len + 3];
            generator.xor(part, 3, len, 0, 0L);
            assertEquals(Hex.encode(full, B2_OFFSET_IN_BUFFER, len), Hex.encode(part, 3, len),
                    "length " + len);
            assertEquals(0, part[0] | part[1] | part[2]);
        }
    }
}
