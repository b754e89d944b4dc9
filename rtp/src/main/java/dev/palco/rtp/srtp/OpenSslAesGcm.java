package dev.palco.rtp.srtp;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.util.Objects;

import org.jitsi.srtp.crypto.JitsiOpenSslProvider;
import org.jitsi.srtp.crypto.OpenSslAesCipherSpi;
import org.jitsi.srtp.crypto.OpenSslAesGcmCipherSpi;

/**
 * {@link AesGcm} on OpenSSL's libcrypto, through the JNI entry points that jitsi-srtp ships for
 * its own OpenSSL cipher provider ({@code libjitsisrtp_3.so}). It allocates nothing per packet.
 *
 * <p>Why not through the JCA: {@code Cipher.init} takes a new IV only inside a new {@code
 * GCMParameterSpec}, which copies the IV on construction and again on {@code getIV()}; that is
 * the 64 bytes per packet that jitsi-srtp's GCM allocates. OpenSSL itself can keep one {@code
 * EVP_CIPHER_CTX} with its key schedule and take a new IV with {@code EVP_CipherInit_ex(ctx, NULL,
 * NULL, iv, enc)}. jitsi-srtp's native library exposes exactly those calls, as private native
 * methods of its provider classes; the library pins arrays with {@code GetPrimitiveArrayCritical},
 * so no call copies or allocates on the Java heap. We reach the methods through method handles
 * from a private lookup (both jars sit in the unnamed module) and call them on one shared SPI
 * instance, which serves only as the JNI receiver: every call passes our own context pointer.
 *
 * <p>The binding depends on private names of the pinned jitsi-srtp version. If they change or the
 * native library does not load, {@link #isAvailable()} is false with an {@link
 * #unavailableReason()}, and sessions fall back to {@link JcaAesGcm}; {@code OpenSslAesGcmTest} fails on this platform in
 * that case, so an upgrade cannot lose the binding silently.
 *
 * <p>Per packet: set the IV, one update per associated-data piece, one in-place update over the
 * payload, final, then read (seal) or set (open) the tag: five or six native calls.
 *
 * <p>The context is freed, and with it the key schedule wiped, when this object is collected
 * ({@code EVP_CIPHER_CTX_free} clears it). Freeing it on close instead could race a packet still
 * inside OpenSSL on another thread. Every native call ends with a reachability fence on this
 * object, so that the collector cannot consider it unreachable, and free the context, while the
 * call still uses the pointer it read from it.
 */
final class OpenSslAesGcm implements AesGcm {
    private static final Cleaner CLEANER = Cleaner.create();

    private static final MethodHandle CTX_NEW;
    private static final MethodHandle CTX_FREE;
    private static final MethodHandle CIPHER_INIT;
    private static final MethodHandle CIPHER_UPDATE;
    private static final MethodHandle CIPHER_FINAL;
    private static final MethodHandle GET_TAG;
    private static final MethodHandle SET_TAG;
    /** {@code EVP_aes_128_gcm()}: a static cipher description, never freed. */
    private static final long AES_128_GCM;
    private static final String UNAVAILABLE_REASON;

    static {
        MethodHandle ctxNew = null;
        MethodHandle ctxFree = null;
        MethodHandle init = null;
        MethodHandle update = null;
        MethodHandle fin = null;
        MethodHandle getTag = null;
        MethodHandle setTag = null;
        long aes128Gcm = 0;
        String reason = null;
        try {
            if (!JitsiOpenSslProvider.isLoaded()) {
                reason = "jitsi-srtp's OpenSSL library did not load";
            } else {
                MethodHandles.Lookup self = MethodHandles.lookup();
                MethodHandles.Lookup base = MethodHandles.privateLookupIn(
                        OpenSslAesCipherSpi.class, self);
                MethodHandles.Lookup gcm = MethodHandles.privateLookupIn(
                        OpenSslAesGcmCipherSpi.class, self);
                // The JNI receiver for the instance methods; it holds a context of its own,
                // which we never use and its Cleaner frees.
                OpenSslAesGcmCipherSpi receiver = new OpenSslAesGcmCipherSpi();
                ctxNew = base.findStatic(OpenSslAesCipherSpi.class, "EVP_CIPHER_CTX_new",
                        MethodType.methodType(long.class));
                ctxFree = base.findStatic(OpenSslAesCipherSpi.class, "EVP_CIPHER_CTX_free",
                        MethodType.methodType(void.class, long.class));
                init = base.findVirtual(OpenSslAesCipherSpi.class, "EVP_CipherInit",
                        MethodType.methodType(boolean.class, long.class, long.class,
                                byte[].class, byte[].class, int.class))
                        .bindTo(receiver);
                update = base.findVirtual(OpenSslAesCipherSpi.class, "EVP_CipherUpdate",
                        MethodType.methodType(boolean.class, long.class, byte[].class, int.class,
                                int.class, byte[].class, int.class))
                        .bindTo(receiver);
                fin = gcm.findVirtual(OpenSslAesGcmCipherSpi.class, "EVP_CipherFinal",
                        MethodType.methodType(boolean.class, long.class, byte[].class,
                                int.class))
                        .bindTo(receiver);
                MethodType tagType = MethodType.methodType(boolean.class, long.class,
                        byte[].class, int.class, int.class);
                getTag = gcm.findVirtual(OpenSslAesGcmCipherSpi.class, "CipherGetTag", tagType)
                        .bindTo(receiver);
                setTag = gcm.findVirtual(OpenSslAesGcmCipherSpi.class, "CipherSetTag", tagType)
                        .bindTo(receiver);
                aes128Gcm = (long) gcm.findStatic(OpenSslAesGcmCipherSpi.class,
                        "EVP_aes_128_gcm", MethodType.methodType(long.class)).invokeExact();
                if (aes128Gcm == 0) {
                    reason = "EVP_aes_128_gcm() returned NULL";
                }
            }
        } catch (Throwable t) {
            // ReflectiveOperationException, LinkageError or SecurityException: the private
            // names moved in another jitsi-srtp version, or the natives are missing.
            reason = "jitsi-srtp's OpenSSL GCM entry points are not reachable: " + t;
        }
        boolean ok = reason == null;
        CTX_NEW = ok ? ctxNew : null;
        CTX_FREE = ok ? ctxFree : null;
        CIPHER_INIT = ok ? init : null;
        CIPHER_UPDATE = ok ? update : null;
        CIPHER_FINAL = ok ? fin : null;
        GET_TAG = ok ? getTag : null;
        SET_TAG = ok ? setTag : null;
        AES_128_GCM = aes128Gcm;
        UNAVAILABLE_REASON = reason;
    }

    /** The native context; freed by {@link #CLEANER} once this object is unreachable. */
    private final long ctx;

    /**
     * Keys a new OpenSSL context.
     *
     * @param sessionKey the 128-bit session key (read during the call, not kept on the Java heap)
     * @throws IllegalStateException if {@link #isAvailable()} is false or OpenSSL refuses the key
     */
    OpenSslAesGcm(byte[] sessionKey) {
        if (!isAvailable()) {
            throw new IllegalStateException(UNAVAILABLE_REASON);
        }
        if (sessionKey.length != 16) {
            throw new IllegalArgumentException("AES-128 key must be 16 bytes");
        }
        long created;
        try {
            created = (long) CTX_NEW.invokeExact();
        } catch (Throwable t) {
            throw new IllegalStateException("EVP_CIPHER_CTX_new failed", t);
        }
        if (created == 0) {
            throw new IllegalStateException("EVP_CIPHER_CTX_new returned NULL");
        }
        ctx = created;
        CLEANER.register(this, new Free(created));
        // The default GCM IV length is 12 bytes (RFC 7714's), so no EVP_CTRL_GCM_SET_IVLEN.
        if (!init(AES_128_GCM, sessionKey, null, 1)) {
            throw new IllegalStateException("EVP_CipherInit_ex refused the AES-128-GCM key");
        }
    }

    /** Whether the OpenSSL binding can be used on this platform. */
    static boolean isAvailable() {
        return UNAVAILABLE_REASON == null;
    }

    /** Why {@link #isAvailable()} is false, or null. */
    static String unavailableReason() {
        return UNAVAILABLE_REASON;
    }

    @Override
    public boolean start(byte[] iv, boolean encrypt) {
        Objects.checkFromIndexSize(0, IV_SIZE_BYTES, iv.length);
        // Cipher and key NULL: keep both, take the IV, reset the GHASH state.
        return init(0, null, iv, encrypt ? 1 : 0);
    }

    @Override
    public boolean aad(byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.length);
        // A NULL output makes the update associated data.
        return len == 0 || update(buf, off, len, null, 0);
    }

    @Override
    public boolean seal(byte[] buf, int off, int len) {
        // The native side does no bounds checks: a bad range must fail here, not in libcrypto.
        Objects.checkFromIndexSize(off, len + TAG_SIZE_BYTES, buf.length);
        if (len > 0 && !update(buf, off, len, buf, off)) {
            return false;
        }
        try {
            // GCM's final writes no bytes; the array is only needed as a valid pointer.
            return (boolean) CIPHER_FINAL.invokeExact(ctx, buf, off + len)
                    && (boolean) GET_TAG.invokeExact(ctx, buf, off + len, TAG_SIZE_BYTES);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    @Override
    public boolean open(byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len + TAG_SIZE_BYTES, buf.length);
        if (len > 0 && !update(buf, off, len, buf, off)) {
            return false;
        }
        try {
            return (boolean) SET_TAG.invokeExact(ctx, buf, off + len, TAG_SIZE_BYTES)
                    && (boolean) CIPHER_FINAL.invokeExact(ctx, buf, off + len);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    private boolean init(long cipher, byte[] key, byte[] iv, int enc) {
        try {
            return (boolean) CIPHER_INIT.invokeExact(ctx, cipher, key, iv, enc);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    private boolean update(byte[] in, int inOff, int len, byte[] out, int outOff) {
        try {
            return (boolean) CIPHER_UPDATE.invokeExact(ctx, in, inOff, len, out, outOff);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /** Frees a context; holds no reference to the {@link OpenSslAesGcm} it belongs to. */
    private static final class Free implements Runnable {
        private final long ctx;

        Free(long ctx) {
            this.ctx = ctx;
        }

        @Override
        public void run() {
            try {
                CTX_FREE.invokeExact(ctx);
            } catch (Throwable t) {
                throw new IllegalStateException("EVP_CIPHER_CTX_free failed", t);
            }
        }
    }
}
