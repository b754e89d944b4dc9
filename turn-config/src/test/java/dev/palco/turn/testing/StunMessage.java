package dev.palco.turn.testing;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.zip.CRC32;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The few STUN/TURN messages the coturn tests send, and a parser for coturn's answers.
 *
 * <p>RFC 8489 §5, the message header:
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |0 0|     STUN Message Type     |         Message Length        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                         Magic Cookie                          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                                                               |
 * |                     Transaction ID (96 bits)                  |
 * |                                                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>and §14, each attribute, padded to 4 bytes:
 *
 * <pre>
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Type                  |            Length             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                         Value (variable)                ....
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class StunMessage {

  public static final int HEADER_SIZE_BYTES = 20;
  public static final int MAGIC_COOKIE = 0x2112A442;

  // Message types: method and class (RFC 8489 §5, §18.2; RFC 8656 §17).
  public static final int BINDING_REQUEST = 0x0001;
  public static final int BINDING_SUCCESS = 0x0101;
  public static final int ALLOCATE_REQUEST = 0x0003;
  public static final int ALLOCATE_SUCCESS = 0x0103;
  public static final int ALLOCATE_ERROR = 0x0113;
  public static final int REFRESH_REQUEST = 0x0004;
  public static final int REFRESH_SUCCESS = 0x0104;
  public static final int CREATE_PERMISSION_REQUEST = 0x0008;
  public static final int CREATE_PERMISSION_SUCCESS = 0x0108;

  // Attributes (RFC 8489 §18.3, RFC 8656 §18).
  static final int USERNAME = 0x0006;
  static final int MESSAGE_INTEGRITY = 0x0008;
  static final int ERROR_CODE = 0x0009;
  static final int LIFETIME = 0x000D;
  static final int REALM = 0x0014;
  static final int NONCE = 0x0015;
  static final int XOR_PEER_ADDRESS = 0x0012;
  static final int XOR_RELAYED_ADDRESS = 0x0016;
  static final int REQUESTED_TRANSPORT = 0x0019;
  static final int XOR_MAPPED_ADDRESS = 0x0020;
  static final int FINGERPRINT = 0x8028;

  /** RFC 8489 §14.7: the CRC-32 is XORed with "STUN". */
  private static final long FINGERPRINT_XOR = 0x5354554EL;

  /** RFC 8656 §14.7: protocol number 17 selects a UDP relay. */
  private static final int PROTOCOL_UDP = 17;

  private static final int MESSAGE_INTEGRITY_SIZE_BYTES = 24;
  private static final int FINGERPRINT_SIZE_BYTES = 8;

  private StunMessage() {}

  /**
   * A parsed answer.
   *
   * @param type message type
   * @param transactionId the 12-byte transaction id
   * @param errorCode ERROR-CODE as class*100+number, or 0
   * @param realm REALM, or null
   * @param nonce NONCE, or null
   * @param relayed XOR-RELAYED-ADDRESS, or null
   * @param mapped XOR-MAPPED-ADDRESS, or null
   * @param integrityOffset where MESSAGE-INTEGRITY starts, or -1
   * @param raw the whole message
   */
  public record Parsed(
      int type,
      byte[] transactionId,
      int errorCode,
      String realm,
      String nonce,
      InetSocketAddress relayed,
      InetSocketAddress mapped,
      int integrityOffset,
      byte[] raw) {

    /** Whether MESSAGE-INTEGRITY is present and verifies with {@code key} (RFC 8489 §14.5). */
    public boolean integrityVerifies(byte[] key) {
      if (integrityOffset < 0) {
        return false;
      }
      byte[] copy = java.util.Arrays.copyOf(raw, integrityOffset);
      int length = integrityOffset - HEADER_SIZE_BYTES + MESSAGE_INTEGRITY_SIZE_BYTES;
      copy[2] = (byte) (length >>> 8);
      copy[3] = (byte) length;
      byte[] expected = hmacSha1(key, copy);
      byte[] actual = java.util.Arrays.copyOfRange(raw, integrityOffset + 4, integrityOffset + 24);
      return MessageDigest.isEqual(expected, actual);
    }
  }

  /** A new random transaction id. */
  public static byte[] newTransactionId() {
    byte[] id = new byte[12];
    new java.security.SecureRandom().nextBytes(id);
    return id;
  }

  /** Binding request, no attributes. */
  public static byte[] binding(byte[] transactionId) {
    return new Builder(BINDING_REQUEST, transactionId).build(null);
  }

  /** Allocate for a UDP relay with no credential: the server answers 401 with REALM and NONCE. */
  public static byte[] allocateUnauthenticated(byte[] transactionId) {
    return new Builder(ALLOCATE_REQUEST, transactionId).requestedTransportUdp().build(null);
  }

  /** Allocate for a UDP relay with a long-term credential (RFC 8489 §9.2.4). */
  public static byte[] allocate(byte[] transactionId, String username, String realm, String nonce, byte[] key) {
    return new Builder(ALLOCATE_REQUEST, transactionId)
        .requestedTransportUdp()
        .text(USERNAME, username)
        .text(REALM, realm)
        .text(NONCE, nonce)
        .build(key);
  }

  /** Refresh with LIFETIME 0: deletes the allocation (RFC 8656 §7). */
  public static byte[] release(byte[] transactionId, String username, String realm, String nonce, byte[] key) {
    return new Builder(REFRESH_REQUEST, transactionId)
        .u32(LIFETIME, 0)
        .text(USERNAME, username)
        .text(REALM, realm)
        .text(NONCE, nonce)
        .build(key);
  }

  /**
   * CreatePermission for one peer address (RFC 8656 §9): installs a permission only, so no packet
   * is sent to the peer. coturn answers 403 for a peer its denied-peer-ip ranges exclude.
   */
  public static byte[] createPermission(
      byte[] transactionId, InetAddress peer, String username, String realm, String nonce, byte[] key) {
    return new Builder(CREATE_PERMISSION_REQUEST, transactionId)
        .xorAddress(XOR_PEER_ADDRESS, peer, 9, transactionId)
        .text(USERNAME, username)
        .text(REALM, realm)
        .text(NONCE, nonce)
        .build(key);
  }

  /** RFC 8489 §9.2.2: key = MD5(username ":" realm ":" password), without SASLprep (ASCII only here). */
  public static byte[] longTermKey(String username, String realm, String password) {
    try {
      return MessageDigest.getInstance("MD5")
          .digest((username + ":" + realm + ":" + password).getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The total size of a message whose first 4 bytes are given, or -1 if it cannot be STUN. */
  public static int frameSize(byte[] header) {
    int length = ((header[2] & 0xff) << 8) | (header[3] & 0xff);
    if ((header[0] & 0xc0) != 0 || (length & 3) != 0) {
      return -1;
    }
    return HEADER_SIZE_BYTES + length;
  }

  /**
   * Parses {@code buf[off, off+len)}; returns null for anything that is not a well-formed STUN
   * message (it never throws and never reads outside the window).
   */
  public static Parsed parse(byte[] buf, int off, int len) {
    if (len < HEADER_SIZE_BYTES) {
      return null;
    }
    ByteBuffer b = ByteBuffer.wrap(buf, off, len).slice();
    int type = b.getShort(0) & 0xffff;
    int length = b.getShort(2) & 0xffff;
    if ((type & 0xc000) != 0 || b.getInt(4) != MAGIC_COOKIE || length != len - HEADER_SIZE_BYTES || (length & 3) != 0) {
      return null;
    }
    byte[] txId = new byte[12];
    b.position(8);
    b.get(txId);
    int errorCode = 0;
    String realm = null;
    String nonce = null;
    InetSocketAddress relayed = null;
    InetSocketAddress mapped = null;
    int integrityOffset = -1;
    int at = HEADER_SIZE_BYTES;
    while (at < len) {
      if (len - at < 4) {
        return null;
      }
      int attrType = b.getShort(at) & 0xffff;
      int attrLen = b.getShort(at + 2) & 0xffff;
      int value = at + 4;
      if (attrLen > len - value) {
        return null;
      }
      switch (attrType) {
        case ERROR_CODE -> {
          if (attrLen < 4) {
            return null;
          }
          errorCode = (b.get(value + 2) & 0x07) * 100 + (b.get(value + 3) & 0xff);
        }
        case REALM -> realm = text(b, value, attrLen);
        case NONCE -> nonce = text(b, value, attrLen);
        case XOR_RELAYED_ADDRESS -> relayed = xorAddress(b, value, attrLen, txId);
        case XOR_MAPPED_ADDRESS -> mapped = xorAddress(b, value, attrLen, txId);
        case MESSAGE_INTEGRITY -> integrityOffset = attrLen == 20 ? at : -1;
        default -> { }
      }
      at = value + ((attrLen + 3) & ~3);
    }
    if (at != len) {
      return null;
    }
    byte[] raw = new byte[len];
    System.arraycopy(buf, off, raw, 0, len);
    return new Parsed(type, txId, errorCode, realm, nonce, relayed, mapped, integrityOffset, raw);
  }

  private static String text(ByteBuffer b, int at, int len) {
    byte[] bytes = new byte[len];
    b.get(at, bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /**
   * RFC 8489 §14.2: family (1 IPv4, 2 IPv6), port XOR the cookie's top 16 bits, address XOR the
   * cookie (and, for IPv6, the transaction id).
   */
  private static InetSocketAddress xorAddress(ByteBuffer b, int at, int len, byte[] txId) {
    if (len < 4) {
      return null;
    }
    int family = b.get(at + 1) & 0xff;
    int addressBytes = family == 1 ? 4 : family == 2 ? 16 : -1;
    if (addressBytes < 0 || len != 4 + addressBytes) {
      return null;
    }
    int port = (b.getShort(at + 2) & 0xffff) ^ (MAGIC_COOKIE >>> 16);
    byte[] mask = new byte[16];
    ByteBuffer.wrap(mask).putInt(MAGIC_COOKIE).put(txId);
    byte[] address = new byte[addressBytes];
    for (int i = 0; i < addressBytes; i++) {
      address[i] = (byte) (b.get(at + 4 + i) ^ mask[i]);
    }
    try {
      return new InetSocketAddress(InetAddress.getByAddress(address), port);
    } catch (UnknownHostException e) {
      return null;
    }
  }

  static byte[] hmacSha1(byte[] key, byte[] data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec(key, "HmacSHA1"));
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Writes one request. */
  private static final class Builder {
    private final ByteBuffer b = ByteBuffer.allocate(1024);

    Builder(int type, byte[] transactionId) {
      b.putShort((short) type).putShort((short) 0).putInt(MAGIC_COOKIE).put(transactionId);
    }

    /** REQUESTED-TRANSPORT (RFC 8656 §18.11): protocol, then 3 bytes RFFU. */
    Builder requestedTransportUdp() {
      return u32(REQUESTED_TRANSPORT, PROTOCOL_UDP << 24);
    }

    Builder u32(int type, int value) {
      b.putShort((short) type).putShort((short) 4).putInt(value);
      return this;
    }

    /** RFC 8489 §14.2, as {@link StunMessage#xorAddress} reads it. */
    Builder xorAddress(int type, InetAddress address, int port, byte[] transactionId) {
      byte[] raw = address.getAddress();
      byte[] mask = new byte[16];
      ByteBuffer.wrap(mask).putInt(MAGIC_COOKIE).put(transactionId);
      b.putShort((short) type).putShort((short) (4 + raw.length));
      b.put((byte) 0).put((byte) (raw.length == 4 ? 1 : 2)).putShort((short) (port ^ (MAGIC_COOKIE >>> 16)));
      for (int i = 0; i < raw.length; i++) {
        b.put((byte) (raw[i] ^ mask[i]));
      }
      return this;
    }

    Builder text(int type, String value) {
      byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
      b.putShort((short) type).putShort((short) bytes.length).put(bytes);
      while ((b.position() & 3) != 0) {
        b.put((byte) 0);
      }
      return this;
    }

    /**
     * Finishes the message: MESSAGE-INTEGRITY when a key is given (the HMAC covers the message up
     * to it, with the length already counting it: RFC 8489 §14.5), then FINGERPRINT (the CRC
     * covers everything before it, with the length counting it: §14.7).
     */
    byte[] build(byte[] key) {
      if (key != null) {
        setLength(b.position() - HEADER_SIZE_BYTES + MESSAGE_INTEGRITY_SIZE_BYTES);
        byte[] hmac = hmacSha1(key, java.util.Arrays.copyOf(b.array(), b.position()));
        b.putShort((short) MESSAGE_INTEGRITY).putShort((short) 20).put(hmac);
      }
      setLength(b.position() - HEADER_SIZE_BYTES + FINGERPRINT_SIZE_BYTES);
      CRC32 crc = new CRC32();
      crc.update(b.array(), 0, b.position());
      b.putShort((short) FINGERPRINT).putShort((short) 4).putInt((int) (crc.getValue() ^ FINGERPRINT_XOR));
      return java.util.Arrays.copyOf(b.array(), b.position());
    }

    private void setLength(int length) {
      b.putShort(2, (short) length);
    }
  }
}
