package dev.palco.rtp.stun;

import java.util.zip.CRC32;
import javax.crypto.Mac;
import javax.crypto.ShortBufferException;

/**
 * Writes STUN messages (RFC 5389) into a caller's buffer, one attribute at a time: {@link #start},
 * then {@link #putAttribute}/{@link #putInt}/{@link #putLong}/{@link #putFlag}/{@link
 * #putXorMappedAddressV4}, then {@link #appendIntegrity} and {@link #appendFingerprint}, each
 * returning the message's length so far. The header's length field is kept current after every
 * step, so integrity and fingerprint cover exactly what RFC 5389 §15.4/§15.5 say. Holds a CRC-32
 * and so is not thread-safe; allocates nothing.
 *
 * <p>The caller sizes the buffer: a Binding request with a 64-byte USERNAME fits in 200 bytes.
 */
public final class StunMessageWriter {
  private final CRC32 crc = new CRC32();

  /**
   * Writes the 20-byte header with a zero body length.
   *
   * @param type e.g. {@link StunMessage#BINDING_REQUEST}
   * @param transactionId the 12-byte id, copied from {@code transactionId[idOff..]}
   * @return {@link StunMessage#HEADER_SIZE_BYTES}
   */
  public int start(byte[] out, int off, int type, byte[] transactionId, int idOff) {
    writeShort(out, off, type);
    writeShort(out, off + 2, 0);
    writeInt(out, off + 4, StunMessage.MAGIC_COOKIE);
    System.arraycopy(transactionId, idOff, out, off + StunMessage.TRANSACTION_ID_OFFSET,
        StunMessage.TRANSACTION_ID_SIZE_BYTES);
    return StunMessage.HEADER_SIZE_BYTES;
  }

  /**
   * Appends an attribute with {@code value[vOff..vOff+vLen)}, zero-padded to 4 bytes.
   *
   * @param length the message's length so far
   * @return the new length
   */
  public int putAttribute(byte[] out, int off, int length, int attrType, byte[] value, int vOff, int vLen) {
    int p = off + length;
    writeShort(out, p, attrType);
    writeShort(out, p + 2, vLen);
    System.arraycopy(value, vOff, out, p + 4, vLen);
    int padded = (vLen + 3) & ~3;
    for (int i = vLen; i < padded; i++) {
      out[p + 4 + i] = 0;
    }
    return setLength(out, off, length + 4 + padded);
  }

  /** Appends a 32-bit attribute (PRIORITY). @return the new length */
  public int putInt(byte[] out, int off, int length, int attrType, int value) {
    int p = off + length;
    writeShort(out, p, attrType);
    writeShort(out, p + 2, 4);
    writeInt(out, p + 4, value);
    return setLength(out, off, length + 8);
  }

  /** Appends a 64-bit attribute (ICE-CONTROLLING's tie-breaker). @return the new length */
  public int putLong(byte[] out, int off, int length, int attrType, long value) {
    int p = off + length;
    writeShort(out, p, attrType);
    writeShort(out, p + 2, 8);
    writeInt(out, p + 4, (int) (value >>> 32));
    writeInt(out, p + 8, (int) value);
    return setLength(out, off, length + 12);
  }

  /** Appends an attribute without value (USE-CANDIDATE). @return the new length */
  public int putFlag(byte[] out, int off, int length, int attrType) {
    int p = off + length;
    writeShort(out, p, attrType);
    writeShort(out, p + 2, 0);
    return setLength(out, off, length + 4);
  }

  /**
   * Appends XOR-MAPPED-ADDRESS for an IPv4 address (RFC 5389 §15.2): the port XOR'ed with the
   * cookie's top 16 bits, the address with the whole cookie.
   *
   * <pre>
   *    0                   1                   2                   3
   *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   *   |x x x x x x x x|    Family     |         X-Port                |
   *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   *   |                X-Address (32 bits for IPv4)                   |
   *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   * </pre>
   *
   * @param ipv4 the address as a big-endian int
   * @return the new length
   */
  public int putXorMappedAddressV4(byte[] out, int off, int length, int ipv4, int port) {
    int p = off + length;
    writeShort(out, p, StunMessage.ATTR_XOR_MAPPED_ADDRESS);
    writeShort(out, p + 2, 8);
    out[p + 4] = 0;
    out[p + 5] = 0x01; // family IPv4
    writeShort(out, p + 6, port ^ (StunMessage.MAGIC_COOKIE >>> 16));
    writeInt(out, p + 8, ipv4 ^ StunMessage.MAGIC_COOKIE);
    return setLength(out, off, length + 12);
  }

  /**
   * Appends MESSAGE-INTEGRITY (RFC 5389 §15.4): HMAC-SHA1 over the message so far, with the
   * header's length already counting this attribute.
   *
   * @param mac HMAC-SHA1 keyed with the password
   * @return the new length
   */
  public int appendIntegrity(byte[] out, int off, int length, Mac mac) {
    int p = off + length;
    setLength(out, off, length + 4 + StunMessage.HMAC_SHA1_SIZE_BYTES);
    mac.reset();
    mac.update(out, off, length);
    try {
      mac.doFinal(out, p + 4);
    } catch (ShortBufferException e) {
      throw new IllegalStateException("no room for MESSAGE-INTEGRITY", e);
    }
    writeShort(out, p, StunMessage.ATTR_MESSAGE_INTEGRITY);
    writeShort(out, p + 2, StunMessage.HMAC_SHA1_SIZE_BYTES);
    return length + 4 + StunMessage.HMAC_SHA1_SIZE_BYTES;
  }

  /**
   * Appends FINGERPRINT (RFC 5389 §15.5): CRC-32 of the message so far, with the header's length
   * already counting this attribute, XOR 0x5354554e. Always the last attribute.
   *
   * @return the new (final) length
   */
  public int appendFingerprint(byte[] out, int off, int length) {
    int p = off + length;
    setLength(out, off, length + 8);
    crc.reset();
    crc.update(out, off, length);
    writeShort(out, p, StunMessage.ATTR_FINGERPRINT);
    writeShort(out, p + 2, 4);
    writeInt(out, p + 4, (int) crc.getValue() ^ StunMessage.FINGERPRINT_XOR);
    return length + 8;
  }

  private static int setLength(byte[] out, int off, int length) {
    writeShort(out, off + 2, length - StunMessage.HEADER_SIZE_BYTES);
    return length;
  }

  private static void writeShort(byte[] b, int p, int v) {
    b[p] = (byte) (v >>> 8);
    b[p + 1] = (byte) v;
  }

  private static void writeInt(byte[] b, int p, int v) {
    b[p] = (byte) (v >>> 24);
    b[p + 1] = (byte) (v >>> 16);
    b[p + 2] = (byte) (v >>> 8);
    b[p + 3] = (byte) v;
  }
}
