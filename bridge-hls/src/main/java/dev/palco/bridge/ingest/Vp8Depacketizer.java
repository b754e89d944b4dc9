package dev.palco.bridge.ingest;

import dev.palco.rtp.codec.PayloadDropReason;
import dev.palco.rtp.codec.Vp8PayloadDescriptor;

/**
 * VP8 frame assembly (RFC 7741 §4.4): each packet's payload descriptor is stripped and the VP8
 * data concatenated. A frame starts with S=1 and PID=0 (§4.2), which is also where the payload
 * header tells a key frame (P=0, RFC 7741 §4.3, RFC 6386 §9.1).
 *
 * <pre>
 * RFC 7741 §4.2, VP8 payload descriptor (the parser, Vp8PayloadDescriptor, has the whole diagram):
 *
 *      0 1 2 3 4 5 6 7
 *     +-+-+-+-+-+-+-+-+
 *     |X|R|N|S|R| PID | (REQUIRED)
 *     +-+-+-+-+-+-+-+-+
 *     ... optional I, L, T/K bytes, then the VP8 payload (payload header first when S=1, PID=0)
 * </pre>
 */
final class Vp8Depacketizer implements Depacketizer {
  private final Vp8PayloadDescriptor descriptor = new Vp8PayloadDescriptor();

  @Override
  public boolean startsFrame(byte[] buf, int off, int len) {
    return descriptor.parse(buf, off, len) == PayloadDropReason.OK && descriptor.startOfFrame();
  }

  @Override
  public void begin(EncodedFrame out) {
  }

  @Override
  public IngestDropReason append(byte[] buf, int off, int len, boolean first, EncodedFrame out) {
    if (descriptor.parse(buf, off, len) != PayloadDropReason.OK) {
      return IngestDropReason.MALFORMED_PAYLOAD;
    }
    if (first) {
      if (!descriptor.startOfFrame()) {
        return IngestDropReason.NOT_FRAME_START;
      }
      out.keyframe = descriptor.keyframe();
    } else if (descriptor.startOfFrame()) {
      // A second frame start inside one timestamp: not one frame.
      return IngestDropReason.MALFORMED_PAYLOAD;
    }
    int d = descriptor.descriptorLength();
    return out.append(buf, off + d, len - d) ? IngestDropReason.OK : IngestDropReason.FRAME_TOO_LARGE;
  }

  @Override
  public IngestDropReason end(EncodedFrame out) {
    return out.length > 0 ? IngestDropReason.OK : IngestDropReason.MALFORMED_PAYLOAD;
  }
}
