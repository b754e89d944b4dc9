package dev.palco.bridge.ingest;

import dev.palco.rtp.codec.OpusPayload;
import dev.palco.rtp.codec.PayloadDropReason;

/**
 * Opus (RFC 7587 §4.2): one RTP payload is one Opus packet, which the decoder takes as it is. It
 * is validated against RFC 6716 §3.4 first, so the decoder never sees a packet whose framing is
 * broken.
 */
final class OpusDepacketizer implements Depacketizer {
  private final OpusPayload opus = new OpusPayload();

  @Override
  public boolean startsFrame(byte[] buf, int off, int len) {
    return true;
  }

  @Override
  public void begin(EncodedFrame out) {
    out.keyframe = true;
  }

  @Override
  public IngestDropReason append(byte[] buf, int off, int len, boolean first, EncodedFrame out) {
    if (!first) {
      return IngestDropReason.MALFORMED_PAYLOAD;
    }
    if (opus.parse(buf, off, len) != PayloadDropReason.OK) {
      return IngestDropReason.MALFORMED_PAYLOAD;
    }
    return out.append(buf, off, len) ? IngestDropReason.OK : IngestDropReason.FRAME_TOO_LARGE;
  }

  @Override
  public IngestDropReason end(EncodedFrame out) {
    return out.length > 0 ? IngestDropReason.OK : IngestDropReason.MALFORMED_PAYLOAD;
  }
}
