package dev.palco.rtp.stun;

import java.util.zip.CRC32;
import javax.crypto.Mac;

/**
 * One parsed STUN message (RFC 5389), a reusable view over the caller's bytes: {@link #parse} fills
 * it without allocating, so one instance serves every datagram a thread receives. Only what ICE
 * connectivity checks and consent freshness need is kept (RFC 8445 §7.1.2, RFC 7675 §5.1): the
 * type, the transaction id, USERNAME, PRIORITY, USE-CANDIDATE, ICE-CONTROLLING/ICE-CONTROLLED,
 * ERROR-CODE and where MESSAGE-INTEGRITY and FINGERPRINT sit. Not thread-safe.
 *
 * <pre>
 *   RFC 5389 §6, message header
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |0 0|     STUN Message Type     |         Message Length        |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                         Magic Cookie                          |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                     Transaction ID (96 bits)                  |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 *   RFC 5389 §15, each attribute (value padded to 4 bytes)
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |         Type                  |            Length             |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                         Value (variable)                ....
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class StunMessage {
  /** RFC 5389 §6. */
  public static final int HEADER_SIZE_BYTES = 20;
  /** RFC 5389 §6. */
  public static final int MAGIC_COOKIE = 0x2112A442;
  /** Offset of the 96-bit transaction id. */
  public static final int TRANSACTION_ID_OFFSET = 8;
  /** RFC 5389 §6. */
  public static final int TRANSACTION_ID_SIZE_BYTES = 12;
  /** HMAC-SHA1 output (RFC 5389 §15.4). */
  public static final int HMAC_SHA1_SIZE_BYTES = 20;

  /** Binding request (RFC 5389 §18.1: method 0x001, class request). */
  public static final int BINDING_REQUEST = 0x0001;
  /** Binding success response. */
  public static final int BINDING_SUCCESS_RESPONSE = 0x0101;
  /** Binding indication: an ICE keepalive (RFC 8445 §11), answered by nothing. */
  public static final int BINDING_INDICATION = 0x0011;
  /** Binding error response. */
  public static final int BINDING_ERROR_RESPONSE = 0x0111;

  /** RFC 5389 §15.2. */
  public static final int ATTR_MAPPED_ADDRESS = 0x0001;
  /** RFC 5389 §15.3. */
  public static final int ATTR_USERNAME = 0x0006;
  /** RFC 5389 §15.4. */
  public static final int ATTR_MESSAGE_INTEGRITY = 0x0008;
  /** RFC 5389 §15.6. */
  public static final int ATTR_ERROR_CODE = 0x0009;
  /** RFC 5389 §15.2. */
  public static final int ATTR_XOR_MAPPED_ADDRESS = 0x0020;
  /** RFC 8445 §16.1. */
  public static final int ATTR_PRIORITY = 0x0024;
  /** RFC 8445 §16.1. */
  public static final int ATTR_USE_CANDIDATE = 0x0025;
  /** RFC 5389 §15.10. */
  public static final int ATTR_SOFTWARE = 0x8022;
  /** RFC 5389 §15.5. */
  public static final int ATTR_FINGERPRINT = 0x8028;
  /** RFC 8445 §16.1. */
  public static final int ATTR_ICE_CONTROLLED = 0x8029;
  /** RFC 8445 §16.1. */
  public static final int ATTR_ICE_CONTROLLING = 0x802A;

  /** RFC 5389 §15.5: the CRC-32 is XOR'ed with this ("STUN"). */
  public static final int FINGERPRINT_XOR = 0x5354554e;

  private final CRC32 crc = new CRC32();
  private byte[] buf;
  private int off;
  private int lengthBytes;
  private int type;
  private int usernameOffset;
  private int usernameLength;
  private long priority;
  private boolean useCandidate;
  private boolean controlling;
  private boolean controlled;
  private int errorCode;
  /** Offset (absolute) of the MESSAGE-INTEGRITY attribute header, or -1. */
  private int integrityOffset;
  /** Offset (absolute) of the FINGERPRINT attribute header, or -1. */
  private int fingerprintOffset;

  /** Peeks: whether {@code (buf, off, len)} starts like a STUN message (top bits 00, magic cookie). */
  public static boolean looksLikeStun(byte[] buf, int off, int len) {
    return len >= HEADER_SIZE_BYTES && (buf[off] & 0xC0) == 0 && readInt(buf, off + 4) == MAGIC_COOKIE;
  }

  /**
   * Peeks at a Binding request's USERNAME without parsing the whole message: whether its first
   * part, the receiver's ufrag (RFC 8445 §7.2.2: "RFRAG:LFRAG"), is present and differs from
   * {@code ufrag}. Anything else (another message type, no USERNAME, a malformed message) answers
   * false. Allocates nothing, never reads outside the window.
   *
   * @param ufrag the ASCII bytes of the ufrag the request is expected to name
   */
  public static boolean isBindingRequestForOtherUfrag(byte[] buf, int off, int len, byte[] ufrag) {
    if (len < HEADER_SIZE_BYTES || readShort(buf, off) != BINDING_REQUEST
        || readInt(buf, off + 4) != MAGIC_COOKIE) {
      return false;
    }
    int end = off + Math.min(len, HEADER_SIZE_BYTES + readShort(buf, off + 2));
    int p = off + HEADER_SIZE_BYTES;
    while (end - p >= 4) {
      int attrLength = readShort(buf, p + 2);
      int value = p + 4;
      if (attrLength > end - value) {
        return false;
      }
      if (readShort(buf, p) == ATTR_USERNAME) {
        int colon = value;
        while (colon < value + attrLength && buf[colon] != ':') {
          colon++;
        }
        if (colon - value != ufrag.length) {
          return true;
        }
        for (int i = 0; i < ufrag.length; i++) {
          if (buf[value + i] != ufrag[i]) {
            return true;
          }
        }
        return false;
      }
      p = value + ((attrLength + 3) & ~3);
    }
    return false;
  }

  /**
   * Parses {@code (buf, off, len)} into this view (which then refers to {@code buf}). Checks the
   * header, walks every attribute, and verifies FINGERPRINT when present. MESSAGE-INTEGRITY is
   * only located here: check it with {@link #integrityMatches}. Never throws, never reads outside
   * the window.
   *
   * @return {@link StunDropReason#NONE}, or why the datagram is not a usable STUN message
   */
  public StunDropReason parse(byte[] buf, int off, int len) {
    this.buf = buf;
    this.off = off;
    type = -1;
    lengthBytes = 0;
    usernameOffset = -1;
    usernameLength = 0;
    priority = -1;
    useCandidate = false;
    controlling = false;
    controlled = false;
    errorCode = -1;
    integrityOffset = -1;
    fingerprintOffset = -1;
    if (len < HEADER_SIZE_BYTES) {
      return StunDropReason.TOO_SHORT;
    }
    if ((buf[off] & 0xC0) != 0 || readInt(buf, off + 4) != MAGIC_COOKIE) {
      return StunDropReason.NOT_STUN;
    }
    int bodyLength = readShort(buf, off + 2);
    if ((bodyLength & 3) != 0 || bodyLength + HEADER_SIZE_BYTES != len) {
      return StunDropReason.BAD_LENGTH;
    }
    int end = off + len;
    int p = off + HEADER_SIZE_BYTES;
    while (p < end) {
      if (end - p < 4) {
        return StunDropReason.ATTRIBUTE_OVERRUN;
      }
      int attrType = readShort(buf, p);
      int attrLength = readShort(buf, p + 2);
      int value = p + 4;
      int padded = (attrLength + 3) & ~3;
      if (padded > end - value) {
        return StunDropReason.ATTRIBUTE_OVERRUN;
      }
      if (fingerprintOffset >= 0) {
        return StunDropReason.ATTRIBUTE_MISPLACED;
      }
      // RFC 5389 §15.4: after MESSAGE-INTEGRITY only FINGERPRINT may follow.
      if (integrityOffset >= 0 && attrType != ATTR_FINGERPRINT) {
        return StunDropReason.ATTRIBUTE_MISPLACED;
      }
      switch (attrType) {
        case ATTR_USERNAME:
          usernameOffset = value;
          usernameLength = attrLength;
          break;
        case ATTR_PRIORITY:
          if (attrLength != 4) {
            return StunDropReason.BAD_ATTRIBUTE;
          }
          priority = readInt(buf, value) & 0xFFFF_FFFFL;
          break;
        case ATTR_USE_CANDIDATE:
          useCandidate = true;
          break;
        case ATTR_ICE_CONTROLLING:
          controlling = true;
          break;
        case ATTR_ICE_CONTROLLED:
          controlled = true;
          break;
        case ATTR_ERROR_CODE:
          if (attrLength < 4) {
            return StunDropReason.BAD_ATTRIBUTE;
          }
          // RFC 5389 §15.6: class (hundreds) in bits 8-10, number in the last byte.
          errorCode = (buf[value + 2] & 0x07) * 100 + (buf[value + 3] & 0xFF);
          break;
        case ATTR_MESSAGE_INTEGRITY:
          if (attrLength != HMAC_SHA1_SIZE_BYTES) {
            return StunDropReason.BAD_ATTRIBUTE;
          }
          integrityOffset = p;
          break;
        case ATTR_FINGERPRINT:
          if (attrLength != 4) {
            return StunDropReason.BAD_ATTRIBUTE;
          }
          fingerprintOffset = p;
          break;
        default:
          // Comprehension-optional or unused here: skipped (RFC 5389 §15).
          break;
      }
      p = value + padded;
    }
    type = readShort(buf, off);
    lengthBytes = len;
    if (fingerprintOffset >= 0) {
      // RFC 5389 §15.5: CRC-32 of everything before FINGERPRINT, the header's length already
      // counting FINGERPRINT (it is the last attribute), XOR 0x5354554e.
      crc.reset();
      crc.update(buf, off, fingerprintOffset - off);
      if (((int) crc.getValue() ^ FINGERPRINT_XOR) != readInt(buf, fingerprintOffset + 4)) {
        type = -1;
        return StunDropReason.BAD_FINGERPRINT;
      }
    }
    return StunDropReason.NONE;
  }

  /**
   * Verifies MESSAGE-INTEGRITY (RFC 5389 §15.4): HMAC-SHA1 over the message up to the attribute,
   * with the header's length as if MESSAGE-INTEGRITY were the last attribute. The message bytes
   * are not modified.
   *
   * @param mac HMAC-SHA1 already keyed with the password (short-term credentials: the SASLprep'd
   *     password itself)
   * @param scratch at least 20 bytes, overwritten
   * @return false when there is no MESSAGE-INTEGRITY or it does not match
   */
  public boolean integrityMatches(Mac mac, byte[] scratch) {
    if (type < 0 || integrityOffset < 0) {
      return false;
    }
    int adjustedLength = integrityOffset + 4 + HMAC_SHA1_SIZE_BYTES - off - HEADER_SIZE_BYTES;
    mac.reset();
    mac.update(buf, off, 2);
    mac.update((byte) (adjustedLength >>> 8));
    mac.update((byte) adjustedLength);
    mac.update(buf, off + 4, integrityOffset - off - 4);
    try {
      mac.doFinal(scratch, 0);
    } catch (javax.crypto.ShortBufferException e) {
      return false;
    }
    int diff = 0;
    for (int i = 0; i < HMAC_SHA1_SIZE_BYTES; i++) {
      diff |= scratch[i] ^ buf[integrityOffset + 4 + i];
    }
    return diff == 0;
  }

  /** @return whether the USERNAME is exactly {@code expected} (ASCII, as ICE ufrags are) */
  public boolean usernameEquals(byte[] expected) {
    if (usernameOffset < 0 || usernameLength != expected.length) {
      return false;
    }
    for (int i = 0; i < usernameLength; i++) {
      if (buf[usernameOffset + i] != expected[i]) {
        return false;
      }
    }
    return true;
  }

  /** @return whether this message's transaction id equals {@code id[idOff..idOff+12)} */
  public boolean transactionIdEquals(byte[] id, int idOff) {
    if (type < 0) {
      return false;
    }
    for (int i = 0; i < TRANSACTION_ID_SIZE_BYTES; i++) {
      if (buf[off + TRANSACTION_ID_OFFSET + i] != id[idOff + i]) {
        return false;
      }
    }
    return true;
  }

  /** @return the message type (e.g. {@link #BINDING_REQUEST}), or -1 when the last parse failed */
  public int type() {
    return type;
  }

  /** @return the whole message's length in bytes */
  public int lengthBytes() {
    return lengthBytes;
  }

  /** @return the array the view refers to */
  public byte[] buffer() {
    return buf;
  }

  /** @return where the message starts in {@link #buffer()} */
  public int offset() {
    return off;
  }

  /** @return the USERNAME value's offset in {@link #buffer()}, or -1 */
  public int usernameOffset() {
    return usernameOffset;
  }

  /** @return the USERNAME value's length */
  public int usernameLength() {
    return usernameLength;
  }

  /** @return PRIORITY (RFC 8445 §7.1.1), or -1 */
  public long priority() {
    return priority;
  }

  /** @return whether USE-CANDIDATE is present */
  public boolean useCandidate() {
    return useCandidate;
  }

  /** @return whether ICE-CONTROLLING is present */
  public boolean iceControlling() {
    return controlling;
  }

  /** @return whether ICE-CONTROLLED is present */
  public boolean iceControlled() {
    return controlled;
  }

  /** @return the ERROR-CODE number (e.g. 487), or -1 */
  public int errorCode() {
    return errorCode;
  }

  /** @return whether MESSAGE-INTEGRITY is present */
  public boolean hasIntegrity() {
    return integrityOffset >= 0;
  }

  /** @return whether FINGERPRINT is present (and, after a successful parse, matched) */
  public boolean hasFingerprint() {
    return fingerprintOffset >= 0;
  }

  static int readShort(byte[] b, int p) {
    return ((b[p] & 0xFF) << 8) | (b[p + 1] & 0xFF);
  }

  static int readInt(byte[] b, int p) {
    return ((b[p] & 0xFF) << 24) | ((b[p + 1] & 0xFF) << 16) | ((b[p + 2] & 0xFF) << 8) | (b[p + 3] & 0xFF);
  }
}
