package dev.palco.sfu.room;

import dev.palco.rtp.AbsSendTimeExtension;
import dev.palco.rtp.HeaderExtensionCursor;
import dev.palco.rtp.RtpHeaderExtensions;

import java.util.Arrays;
import java.util.Map;

/**
 * Rewrites the RFC 8285 header extensions of a packet forwarded from a publisher to a subscriber,
 * in place and without moving the payload.
 *
 * <p>Each element either keeps its data under the id the subscriber negotiated for its URI, or is
 * turned into padding: RFC 8285 §4.2 and §4.3 let zero bytes pad between elements, so zeroing an
 * element's header and data removes it without changing the block's length. Stripped are the URIs
 * the subscriber did not negotiate and those whose values are meaningful only on the publisher's
 * transport: mid and rid (the subscriber's section has its own mid and no simulcast) and the
 * transport-wide sequence number when the subscriber did not negotiate it. When it did, the
 * publisher's element is kept under the subscriber's id: its value is meaningless to the
 * subscriber, but the slot is where {@link SubscriberSendControl} writes our own per-subscriber
 * transport-wide number at the moment of sending, without growing the packet.
 * abs-send-time is kept but restamped with our send time, since it describes the hop it travels.
 *
 * <p>Not thread-safe: used under the subscriber's send lock.
 */
final class ExtensionRewriter {
  /** Outgoing id by incoming id; 0 strips the element. */
  private final int[] outIdByInId = new int[256];
  private int absSendTimeInId = -1;
  private int transportCcOutId;
  private final HeaderExtensionCursor cursor = new HeaderExtensionCursor();

  /**
   * Rebuilds the mapping.
   *
   * @param publisherIds the publisher's ids by URI
   * @param subscriberIds the subscriber's ids by URI
   */
  void configure(Map<String, Integer> publisherIds, Map<String, Integer> subscriberIds) {
    Arrays.fill(outIdByInId, 0);
    absSendTimeInId = -1;
    Integer twcc = subscriberIds.get(ExtensionUris.TRANSPORT_CC);
    transportCcOutId = twcc == null || twcc <= 0 || twcc > 255 ? 0 : twcc;
    for (Map.Entry<String, Integer> e : publisherIds.entrySet()) {
      String uri = e.getKey();
      if (uri.equals(ExtensionUris.MID) || uri.equals(ExtensionUris.RID)
          || uri.equals(ExtensionUris.REPAIRED_RID)) {
        continue;
      }
      Integer out = subscriberIds.get(uri);
      int in = e.getValue();
      if (out != null && in > 0 && in < 256) {
        outIdByInId[in] = out;
        if (uri.equals(ExtensionUris.ABS_SEND_TIME)) {
          absSendTimeInId = in;
        }
      }
    }
  }

  /** The subscriber's id for the transport-wide sequence number, or 0 when it did not agree it. */
  int transportCcOutId() {
    return transportCcOutId;
  }

  /**
   * Rewrites the extension block of the RTP packet at {@code buf[off, off + len)}, which must have
   * been validated (its header parses).
   *
   * @param nowMicros our send time, for abs-send-time
   */
  void rewrite(byte[] buf, int off, int len, long nowMicros) {
    if (!cursor.reset(buf, off, len)) {
      return;
    }
    boolean twoByte = cursor.isTwoByte();
    while (cursor.next()) {
      int in = cursor.id();
      int out = outIdByInId[in];
      int dataOffset = cursor.dataOffset();
      int dataLength = cursor.dataLength();
      int headerPos = dataOffset - (twoByte ? 2 : 1);
      if (out == 0 || (!twoByte && out > RtpHeaderExtensions.ONE_BYTE_MAX_ID)) {
        Arrays.fill(buf, headerPos, dataOffset + dataLength, (byte) 0);
        continue;
      }
      if (in == absSendTimeInId && AbsSendTimeExtension.isValidLength(dataLength)) {
        AbsSendTimeExtension.write(buf, dataOffset, AbsSendTimeExtension.fromMicros(nowMicros));
      }
      if (out != in) {
        if (twoByte) {
          buf[headerPos] = (byte) out;
        } else {
          buf[headerPos] = (byte) ((out << 4) | (buf[headerPos] & 0x0F));
        }
      }
    }
  }
}
