package dev.palco.bridge.ingest;

import dev.palco.rtp.codec.H264Payload;
import dev.palco.rtp.codec.PayloadDropReason;

/**
 * H.264 access-unit assembly, packetization-mode=1 (RFC 6184 §6.3): single NAL unit packets
 * (§5.6), STAP-A (§5.7.1) and FU-A (§5.8) become one Annex B byte stream (ITU-T H.264 Annex B:
 * a {@code 00 00 00 01} start code before each NAL unit), which FFmpeg's decoder takes.
 *
 * <pre>
 * RFC 6184 §5.8, FU-A (the parser, H264Payload, has STAP-A and the NAL header too):
 *
 *     +---------------+---------------+
 *     |F|NRI|  Type=28|S|E|R|  Type   |  FU payload ...
 *     +---------------+---------------+
 *
 * The NAL unit is rebuilt as F|NRI of the FU indicator with the Type of the FU header, followed by
 * the FU payloads of the S..E fragments in order (§5.8: "the NAL unit type octet of the fragmented
 * NAL unit is not included as such in the fragmentation unit payload").
 * </pre>
 */
final class H264Depacketizer implements Depacketizer, H264Payload.NalUnitConsumer {
  private final H264Payload h264 = new H264Payload();
  private boolean inFragment;
  private EncodedFrame target;
  private boolean overflow;

  @Override
  public boolean startsFrame(byte[] buf, int off, int len) {
    if (h264.parse(buf, off, len) != PayloadDropReason.OK) {
      return false;
    }
    return h264.packetType() != H264Payload.NAL_TYPE_FU_A || h264.fuStart();
  }

  @Override
  public void begin(EncodedFrame out) {
    inFragment = false;
    overflow = false;
  }

  @Override
  public IngestDropReason append(byte[] buf, int off, int len, boolean first, EncodedFrame out) {
    if (h264.parse(buf, off, len) != PayloadDropReason.OK) {
      return IngestDropReason.MALFORMED_PAYLOAD;
    }
    if (h264.keyframe()) {
      out.keyframe = true;
    }
    int type = h264.packetType();
    if (type == H264Payload.NAL_TYPE_FU_A) {
      if (h264.fuStart()) {
        if (inFragment) {
          return IngestDropReason.FU_A_SEQUENCE;
        }
        inFragment = true;
        if (!startCode(out) || !out.append(h264.fragmentedNalHeader())) {
          return IngestDropReason.FRAME_TOO_LARGE;
        }
      } else if (!inFragment) {
        return IngestDropReason.FU_A_SEQUENCE;
      }
      if (!out.append(buf, off + H264Payload.FU_A_HEADER_SIZE_BYTES, len - H264Payload.FU_A_HEADER_SIZE_BYTES)) {
        return IngestDropReason.FRAME_TOO_LARGE;
      }
      if (h264.fuEnd()) {
        inFragment = false;
      }
      return IngestDropReason.OK;
    }
    if (inFragment) {
      // A whole NAL unit where the rest of a fragmented one should be.
      return IngestDropReason.FU_A_SEQUENCE;
    }
    target = out;
    overflow = false;
    h264.forEachNalUnit(this);
    target = null;
    return overflow ? IngestDropReason.FRAME_TOO_LARGE : IngestDropReason.OK;
  }

  @Override
  public void accept(int nalType, byte[] buf, int nalOff, int nalLen) {
    if (!startCode(target) || !target.append(buf, nalOff, nalLen)) {
      overflow = true;
    }
  }

  private static boolean startCode(EncodedFrame out) {
    return out.append(0) && out.append(0) && out.append(0) && out.append(1);
  }

  @Override
  public IngestDropReason end(EncodedFrame out) {
    if (inFragment) {
      return IngestDropReason.FU_A_SEQUENCE;
    }
    return out.length > 0 ? IngestDropReason.OK : IngestDropReason.MALFORMED_PAYLOAD;
  }
}
