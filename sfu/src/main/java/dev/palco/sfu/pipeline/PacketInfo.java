package dev.palco.sfu.pipeline;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One packet on its way through a pipeline: a byte buffer it owns, the window that holds the
 * packet, and what earlier nodes learnt about it, so that later nodes never parse twice.
 *
 * <p>A {@code PacketInfo} is pooled. Exactly one owner holds it at a time: the node processing it,
 * a queue, or the pool. Whoever ends its journey (a drop, a terminal node) gives it back through
 * {@link PacketInfoPool#release(PacketInfo)}.
 *
 * <p>The buffer keeps {@link #HEADROOM_BYTES} in front of the packet, so a node can grow the
 * header in place (adding an RTP header extension, or the two-byte original sequence number of an
 * RTX packet, RFC 4588 §4), and {@link #TAILROOM_BYTES} behind it for the SRTP authentication tag.
 */
public final class PacketInfo {
  /** Room before the packet for header growth. */
  public static final int HEADROOM_BYTES = 64;
  /** The largest datagram we accept; larger ones are truncated by the socket and dropped. */
  public static final int MAX_PACKET_BYTES = 1500;
  /** Room after the packet for the SRTP tag (16 bytes for GCM) and the SRTCP index. */
  public static final int TAILROOM_BYTES = 32;
  /** The size of every pooled buffer. */
  public static final int BUFFER_BYTES = HEADROOM_BYTES + MAX_PACKET_BYTES + TAILROOM_BYTES;

  /** Unknown, or not yet parsed. */
  public static final int UNSET = -1;

  private static final VarHandle HOLDERS;

  static {
    try {
      HOLDERS = MethodHandles.lookup().findVarHandle(PacketInfo.class, "holders", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final byte[] buffer = new byte[BUFFER_BYTES];
  /** True while the packet sits idle in a pool; guards against a second release. */
  boolean pooled;
  /**
   * How many holders still read a shared packet ({@link #share}); 0 while it has one owner. Read
   * and written through {@link #HOLDERS} only.
   */
  @SuppressWarnings("unused")
  private volatile int holders;
  private int offset = HEADROOM_BYTES;
  private int length;

  /** When the datagram arrived, in {@link System#nanoTime()} units. */
  public long receivedNanos;

  // What parsing learnt. Plain fields: this object never crosses threads while being written.
  /** True for RTCP, false for RTP. */
  public boolean rtcp;
  /** The SSRC of an RTP packet, 0..2^32-1. */
  public long ssrc;
  /** The RTP sequence number, 0..65535. */
  public int sequenceNumber;
  /** The sequence number extended by the stream's unwrapper, or {@link #UNSET}. */
  public long extendedSequenceNumber;
  /** The RTP timestamp, 0..2^32-1. */
  public long timestamp;
  /** The RTP payload type. */
  public int payloadType;
  /** The RTP marker bit. */
  public boolean marker;
  /** Offset of the RTP payload in {@link #buffer()}, after the header, CSRCs and extensions. */
  public int payloadOffset;
  /** Length of the RTP payload, without padding. */
  public int payloadLength;
  /** True when the payload starts a keyframe. */
  public boolean keyframe;
  /** The RFC 6464 level in -dBov (0..127), or {@link #UNSET}. */
  public int audioLevel;
  /** The RFC 6464 V flag that came with {@link #audioLevel}. */
  public boolean voiceActivity;
  /** The spatial or simulcast layer index, or {@link #UNSET}. */
  public int layer;
  /** True when the packet arrived as an RFC 4588 retransmission and was unwrapped. */
  public boolean retransmission;
  /** An opaque reference to the stream the packet belongs to, set by the routing node. */
  public Object stream;
  /** True when the routing node found the packet on an RFC 4588 RTX SSRC, before unwrapping. */
  public boolean arrivedAsRtx;
  /** Absolute offset in {@link #buffer()} of the sdes:mid extension data, or {@link #UNSET}. */
  public int midOffset;
  /** Length of the sdes:mid extension data. */
  public int midLength;
  /** Absolute offset of the sdes:rtp-stream-id (rid) extension data, or {@link #UNSET}. */
  public int ridOffset;
  /** Length of the rid extension data. */
  public int ridLength;
  /** Absolute offset of the sdes:repaired-rtp-stream-id extension data, or {@link #UNSET}. */
  public int repairedRidOffset;
  /** Length of the repaired-rid extension data. */
  public int repairedRidLength;
  /** The transport-wide sequence number (transport-cc extension), or {@link #UNSET}. */
  public int transportSequenceNumber;
  /** The 24-bit abs-send-time value, or {@link #UNSET}. */
  public int absSendTime;
  /** The VP8 picture ID (15-bit form only), or {@link #UNSET}. */
  public int pictureId;
  /** The VP8 TL0PICIDX, or {@link #UNSET}. */
  public int tl0PicIdx;

  PacketInfo() {
    reset();
  }

  /** The backing buffer, {@link #BUFFER_BYTES} long. */
  public byte[] buffer() {
    return buffer;
  }

  /** Where the packet starts in {@link #buffer()}. */
  public int offset() {
    return offset;
  }

  /** The packet's length in bytes. */
  public int length() {
    return length;
  }

  /** Bytes free after the packet, for growth at the end (SRTP tags). */
  public int tailroom() {
    return buffer.length - offset - length;
  }

  /** Sets the packet window; it must lie inside the buffer. */
  public void setWindow(int newOffset, int newLength) {
    if (newOffset < 0 || newLength < 0 || newOffset + newLength > buffer.length) {
      throw new IllegalStateException("window " + newOffset + "+" + newLength + " outside the buffer");
    }
    offset = newOffset;
    length = newLength;
  }

  /** Sets the packet length, keeping its offset. */
  public void setLength(int newLength) {
    setWindow(offset, newLength);
  }

  /**
   * Copies a packet into this buffer after the headroom.
   *
   * @return false, changing nothing, when the packet is larger than {@link #MAX_PACKET_BYTES}
   */
  public boolean load(byte[] src, int srcOffset, int srcLength) {
    if (srcLength > MAX_PACKET_BYTES || srcLength < 0) {
      return false;
    }
    System.arraycopy(src, srcOffset, buffer, HEADROOM_BYTES, srcLength);
    offset = HEADROOM_BYTES;
    length = srcLength;
    return true;
  }

  /** Copies the packet and everything learnt about it into {@code target}. */
  public void copyTo(PacketInfo target) {
    System.arraycopy(buffer, offset, target.buffer, offset, length);
    target.offset = offset;
    target.length = length;
    target.receivedNanos = receivedNanos;
    target.rtcp = rtcp;
    target.ssrc = ssrc;
    target.sequenceNumber = sequenceNumber;
    target.extendedSequenceNumber = extendedSequenceNumber;
    target.timestamp = timestamp;
    target.payloadType = payloadType;
    target.marker = marker;
    target.payloadOffset = payloadOffset;
    target.payloadLength = payloadLength;
    target.keyframe = keyframe;
    target.audioLevel = audioLevel;
    target.voiceActivity = voiceActivity;
    target.layer = layer;
    target.retransmission = retransmission;
    target.stream = stream;
    target.arrivedAsRtx = arrivedAsRtx;
    target.midOffset = midOffset;
    target.midLength = midLength;
    target.ridOffset = ridOffset;
    target.ridLength = ridLength;
    target.repairedRidOffset = repairedRidOffset;
    target.repairedRidLength = repairedRidLength;
    target.transportSequenceNumber = transportSequenceNumber;
    target.absSendTime = absSendTime;
    target.pictureId = pictureId;
    target.tl0PicIdx = tl0PicIdx;
  }

  /**
   * Moves the window by {@code delta} bytes (negative: towards the headroom), shifting every
   * absolute offset learnt by parsing with it (payload and header extensions). Used after the
   * header was moved in place; the caller adjusts {@link #payloadLength}.
   */
  public void shiftWindow(int delta) {
    setWindow(offset + delta, length);
    payloadOffset += delta;
    if (midOffset >= 0) {
      midOffset += delta;
    }
    if (ridOffset >= 0) {
      ridOffset += delta;
    }
    if (repairedRidOffset >= 0) {
      repairedRidOffset += delta;
    }
  }

  /**
   * Makes the packet read-only and shared by {@code holderCount} holders (Netty's reference
   * count): from now on nobody writes it, each holder reads it on its own thread, and each gives
   * its share back through {@link PacketInfoPool#releaseShared}; the last one returns it to the
   * pool. The owner calls this before handing the packet to any other thread, and the hand-over
   * itself (a queue's lock) publishes the packet's contents.
   *
   * @throws IllegalArgumentException if {@code holderCount} is less than 1
   */
  public void share(int holderCount) {
    if (holderCount < 1) {
      throw new IllegalArgumentException("holders " + holderCount);
    }
    HOLDERS.setRelease(this, holderCount);
  }

  /** Holders of a shared packet that have not given it back yet; 0 when not shared. */
  public int sharedHolders() {
    return (int) HOLDERS.getAcquire(this);
  }

  /**
   * Gives one share back.
   *
   * @return true when it was the last share: the caller now owns the packet alone
   * @throws IllegalStateException if the packet is not shared
   */
  boolean unshare() {
    int before = (int) HOLDERS.getAndAdd(this, -1);
    if (before <= 0) {
      HOLDERS.getAndAdd(this, 1);
      throw new IllegalStateException("shared packet given back more often than shared");
    }
    return before == 1;
  }

  /** Forgets the packet and everything learnt about it. */
  void reset() {
    offset = HEADROOM_BYTES;
    length = 0;
    receivedNanos = 0;
    rtcp = false;
    ssrc = 0;
    sequenceNumber = 0;
    extendedSequenceNumber = UNSET;
    timestamp = 0;
    payloadType = UNSET;
    marker = false;
    payloadOffset = 0;
    payloadLength = 0;
    keyframe = false;
    audioLevel = UNSET;
    voiceActivity = false;
    layer = UNSET;
    retransmission = false;
    stream = null;
    arrivedAsRtx = false;
    midOffset = UNSET;
    midLength = 0;
    ridOffset = UNSET;
    ridLength = 0;
    repairedRidOffset = UNSET;
    repairedRidLength = 0;
    transportSequenceNumber = UNSET;
    absSendTime = UNSET;
    pictureId = UNSET;
    tl0PicIdx = UNSET;
  }
}
