package dev.palco.rtp.srtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The two {@link AesGcm} engines: the OpenSSL binding must be reachable on this platform (an
 * upgrade of jitsi-srtp that moves its private entry points fails here, not silently in
 * production), both must reproduce the GCM specification's test case 4 (AES-128, 96-bit IV,
 * associated data, a plaintext that is not a whole number of blocks), and they must agree on
 * random messages, including empty ones, with associated data in pieces.
 */
class OpenSslAesGcmTest {
    // McGrew and Viega, "The Galois/Counter Mode of Operation", test case 4.
    private static final byte[] KEY = Hex.decode("feffe9928665731c6d6a8f9467308308");
    private static final byte[] IV = Hex.decode("cafebabefacedbaddecaf888");
    private static final byte[] AAD = Hex.decode("feedfacedeadbeeffeedfacedeadbeefabaddad2");
    private static final byte[] PLAIN = Hex.decode(""
            + "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
            + "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39");
    private static final byte[] SEALED = Hex.decode(""
            + "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
            + "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091"
            + "5bc94fbc3221a5db94fae95ae7121a47"); // the 128-bit tag

    private static AesGcm engine(String name, byte[] key) {
        return name.equals("openssl") ? new OpenSslAesGcm(key) : new JcaAesGcm(key);
    }

    @Test
    void bindingIsAvailableOnThisPlatform() {
        assertTrue(OpenSslAesGcm.isAvailable(), OpenSslAesGcm.unavailableReason());
    }

    @ParameterizedTest
    @ValueSource(strings = {"openssl", "jca"})
    void specificationTestCase4(String name) {
        AesGcm gcm = engine(name, KEY);
        int off = 3;
        byte[] buf = new byte[off + PLAIN.length + 16 + 5];
        System.arraycopy(PLAIN, 0, buf, off, PLAIN.length);
        byte[] aad = new byte[AAD.length + 9];
        System.arraycopy(AAD, 0, aad, 9, AAD.length);

        assertTrue(gcm.start(IV, true));
        // Associated data in two pieces, the second at an offset: the same as one.
        assertTrue(gcm.aad(aad, 9, 7));
        assertTrue(gcm.aad(aad, 16, AAD.length - 7));
        assertTrue(gcm.seal(buf, off, PLAIN.length));
        assertEquals(Hex.encode(SEALED),
                Hex.encode(Arrays.copyOfRange(buf, off, off + SEALED.length)));

        assertTrue(gcm.start(IV, false));
        assertTrue(gcm.aad(AAD, 0, AAD.length));
        assertTrue(gcm.open(buf, off, PLAIN.length));
        assertEquals(Hex.encode(PLAIN), Hex.encode(Arrays.copyOfRange(buf, off,
                off + PLAIN.length)));

        // Any flipped bit of ciphertext, tag or associated data fails.
        for (int at = 0; at < SEALED.length + AAD.length; at += 7) {
            byte[] sealed = SEALED.clone();
            byte[] ad = AAD.clone();
            if (at < SEALED.length) {
                sealed[at] ^= 0x40;
            } else {
                ad[at - SEALED.length] ^= 0x40;
            }
            assertTrue(gcm.start(IV, false));
            assertTrue(gcm.aad(ad, 0, ad.length));
            assertFalse(gcm.open(sealed, 0, PLAIN.length), "flipped at " + at);
        }
    }

    @Test
    void enginesAgreeOnRandomMessages() {
        SplittableRandom random = new SplittableRandom(0x6C3L);
        byte[] key = new byte[16];
        random.nextBytes(key);
        AesGcm openSsl = new OpenSslAesGcm(key);
        AesGcm jca = new JcaAesGcm(key);
        byte[] iv = new byte[12];
        for (int n = 0; n < 300; n++) {
            random.nextBytes(iv);
            int aadLen = n % 17 == 0 ? 0 : random.nextInt(64);
            int plainLen = n % 13 == 0 ? 0 : random.nextInt(1_500);
            byte[] message = new byte[aadLen + plainLen + 16];
            random.nextBytes(message);
            Function<AesGcm, byte[]> seal = gcm -> {
                byte[] copy = message.clone();
                assertTrue(gcm.start(iv, true));
                assertTrue(gcm.aad(copy, 0, aadLen));
                assertTrue(gcm.seal(copy, aadLen, plainLen));
                return copy;
            };
            byte[] a = seal.apply(openSsl);
            byte[] b = seal.apply(jca);
            assertEquals(Hex.encode(b), Hex.encode(a), "message " + n);
            // Each opens the other's.
            assertTrue(jca.start(iv, false));
            assertTrue(jca.aad(a, 0, aadLen));
            assertTrue(jca.open(a, aadLen, plainLen), "message " + n);
            assertTrue(openSsl.start(iv, false));
            assertTrue(openSsl.aad(b, 0, aadLen));
            assertTrue(openSsl.open(b, aadLen, plainLen), "message " + n);
            assertTrue(Arrays.equals(a, 0, aadLen + plainLen, message, 0, aadLen + plainLen));
            assertTrue(Arrays.equals(b, 0, aadLen + plainLen, message, 0, aadLen + plainLen));
        }
    }

    /** libcrypto checks no bounds: a range past the array must be refused before the call. */
    @Test
    void rangesOutsideTheArrayAreRefusedBeforeTheNativeCall() {
        AesGcm gcm = new OpenSslAesGcm(KEY);
        byte[] buf = new byte[100];
        assertTrue(gcm.start(IV, true));
        assertThrows(IndexOutOfBoundsException.class, () -> gcm.aad(buf, 90, 20));
        assertThrows(IndexOutOfBoundsException.class, () -> gcm.seal(buf, 0, 90));
        assertThrows(IndexOutOfBoundsException.class, () -> gcm.open(buf, -1, 10));
        assertThrows(IndexOutOfBoundsException.class, () -> gcm.start(new byte[8], true));
        // Still usable afterwards.
        assertTrue(gcm.start(IV, true));
        assertTrue(gcm.seal(buf, 0, 84));
    }
}
