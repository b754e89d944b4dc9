package dev.palco.sfu.pipeline.node;

import dev.palco.rtp.AbsSendTimeExtension;
import dev.palco.rtp.AudioLevelExtension;
import dev.palco.rtp.HeaderExtensionCursor;
import dev.palco.rtp.RtpDropReason;
import dev.palco.rtp.RtpPacket;
import dev.palco.rtp.TransportCcExtension;
import dev.palco.sfu.pipeline.DropReason;
import dev.palco.sfu.pipeline.PacketInfo;
import dev.palco.sfu.pipeline.TransformerNode;

/**
 * Parses the RTP header once (RFC 3550 §5.1, layout drawn on {@link RtpPacket}) and copies what
 * later nodes need into the {@link PacketInfo}: SSRC, sequence number, timestamp, payload type,
 * marker, payload bounds, and the header extensions the SFU reads (RFC 8285): sdes:mid, rid and
 * repaired-rid (RFC 8843 §15, RFC 8852 §3), the audio level (RFC 6464), abs-send-time and the
 * transport-wide sequence number.
 *
 * <p>The extension ids come from negotiation. Within one BUNDLE group an id means the same URI in
 * every section (RFC 8843 §9.2), so one set per participant is enough; it is set with
 * {@link #setExtensionIds} on the participant's queue, never concurrently with {@link #process}.
 */
public final class RtpParseNode extends TransformerNode {
  private final RtpPacket rtp = new RtpPacket();
  private final HeaderExtensionCursor cursor = new HeaderExtensionCursor();
  private int midId = -1;
  private int ridId = -1;
  private int repairedRidId = -1;
  private int audioLevelId = -1;
  private int absSendTimeId = -1;
  private int transportCcId = -1;

  public RtpParseNode() {
    super("rtp-parse");
  }

  /** Sets the negotiated ids (-1 for an extension that was not negotiated). */
  public void setExtensionIds(int mid, int rid, int repairedRid, int audioLevel, int absSendTime,
      int transportCc) {
    this.midId = mid;
    this.ridId = rid;
    this.repairedRidId = repairedRid;
    this.audioLevelId = audioLevel;
    this.absSendTimeId = absSendTime;
    this.transportCcId = transportCc;
  }

  @Override
  protected DropReason transform(PacketInfo p) {
    byte[] buf = p.buffer();
    if (rtp.parse(buf, p.offset(), p.length()) != RtpDropReason.OK) {
      return DropReason.MALFORMED_RTP;
    }
    p.ssrc = rtp.ssrc();
    p.sequenceNumber = rtp.sequenceNumber();
    p.timestamp = rtp.timestamp();
    p.payloadType = rtp.payloadType();
    p.marker = rtp.marker();
    p.payloadOffset = rtp.payloadOffset();
    p.payloadLength = rtp.payloadLength();
    if (!rtp.hasExtension() || !cursor.reset(rtp)) {
      return null;
    }
    while (cursor.next()) {
      int id = cursor.id();
      int dataOffset = cursor.dataOffset();
      int dataLength = cursor.dataLength();
      if (id == midId) {
        p.midOffset = dataOffset;
        p.midLength = dataLength;
      } else if (id == ridId) {
        p.ridOffset = dataOffset;
        p.ridLength = dataLength;
      } else if (id == repairedRidId) {
        p.repairedRidOffset = dataOffset;
        p.repairedRidLength = dataLength;
      } else if (id == audioLevelId) {
        if (AudioLevelExtension.isValidLength(dataLength)) {
          p.audioLevel = AudioLevelExtension.levelMinusDbov(buf, dataOffset);
          p.voiceActivity = AudioLevelExtension.voiceActivity(buf, dataOffset);
        }
      } else if (id == absSendTimeId) {
        if (AbsSendTimeExtension.isValidLength(dataLength)) {
          p.absSendTime = AbsSendTimeExtension.read(buf, dataOffset);
        }
      } else if (id == transportCcId) {
        if (TransportCcExtension.isValidLength(dataLength)) {
          p.transportSequenceNumber = TransportCcExtension.sequenceNumber(buf, dataOffset);
        }
      }
    }
    // A malformed element ends the walk (RFC 8285 §4.2); what was read before it stays valid.
    return null;
  }
}
