package dev.palco.rtp.rtcp;

import static dev.palco.rtp.rtcp.RtcpTestBytes.ascii;
import static dev.palco.rtp.rtcp.RtcpTestBytes.concat;
import static dev.palco.rtp.rtcp.RtcpTestBytes.slice;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Valid packets of every type, the starting points that bad-input tests mutate. */
final class RtcpCorpus {
  private RtcpCorpus() {}

  /** {@code packet} with {@code padBytes} of RTCP padding appended and the P bit and length set. */
  static byte[] withPadding(byte[] packet, int padBytes) {
    byte[] out = new byte[packet.length + padBytes];
    System.arraycopy(packet, 0, out, 0, packet.length);
    out[0] |= 0x20;
    out[out.length - 1] = (byte) padBytes;
    RtcpBytes.put16(out, 2, out.length / 4 - 1);
    return out;
  }

  static List<byte[]> senderReports() {
    List<byte[]> out = new ArrayList<>();
    out.add(RtcpFixtures.senderReport());
    byte[] buf = new byte[SenderReportEncoder.sizeBytes(31)];
    ReportBlock[] blocks = new ReportBlock[31];
    for (int i = 0; i < blocks.length; i++) {
      blocks[i] = new ReportBlock().set(i, i * 8, -i, 65_536L * i, i, i, i);
    }
    out.add(slice(buf, 0, SenderReportEncoder.write(buf, 0, 1, 2, 3, 4, 5, blocks, 0)));
    out.add(slice(buf, 0, SenderReportEncoder.write(buf, 0, 1, 2, 3, 4, 5, blocks, 31)));
    out.add(withPadding(RtcpFixtures.senderReport(), 4));
    return out;
  }

  static List<byte[]> receiverReports() {
    List<byte[]> out = new ArrayList<>();
    out.add(RtcpFixtures.receiverReport());
    byte[] buf = new byte[200];
    ReportBlock[] blocks = {new ReportBlock().set(1, 2, 3, 4, 5, 6, 7), new ReportBlock().set(-1, 255, -3, 4, 5, 6, 7)};
    out.add(slice(buf, 0, ReceiverReportEncoder.write(buf, 0, 9, blocks, 0)));
    out.add(slice(buf, 0, ReceiverReportEncoder.write(buf, 0, 9, blocks, 2)));
    out.add(withPadding(RtcpFixtures.receiverReport(), 8));
    return out;
  }

  static List<byte[]> sdes() {
    List<byte[]> out = new ArrayList<>();
    out.add(RtcpFixtures.sdes());
    byte[] buf = new byte[400];
    byte[] text = ascii("a-canonical-name-of-some-length");
    out.add(slice(buf, 0, SdesEncoder.writeCname(buf, 0, 5, text, 0, 16)));
    SdesEncoder enc = new SdesEncoder().begin(buf, 0);
    for (int c = 0; c < 4; c++) {
      enc.chunk(c * 1000);
      for (int item = 1; item <= 8; item += 1 + c) {
        enc.item(item, text, 0, (item * 5 + c) % text.length);
      }
    }
    out.add(slice(buf, 0, enc.finish()));
    out.add(withPadding(RtcpFixtures.sdes(), 4));
    return out;
  }

  static List<byte[]> byes() {
    List<byte[]> out = new ArrayList<>();
    out.add(RtcpFixtures.bye());
    byte[] buf = new byte[200];
    int[] ssrcs = {1, 2, 3, 4, 5};
    out.add(slice(buf, 0, ByeEncoder.write(buf, 0, ssrcs, 0, 5, null, 0, 0)));
    out.add(slice(buf, 0, ByeEncoder.write(buf, 0, ssrcs, 0, 2, ascii("shutting down"), 0, 13)));
    out.add(slice(buf, 0, ByeEncoder.write(buf, 0, ssrcs, 0, 0, ascii(""), 0, 0)));
    return out;
  }

  static List<byte[]> nacks() {
    List<byte[]> out = new ArrayList<>();
    out.add(RtcpFixtures.nack());
    byte[] buf = new byte[400];
    int[] lost = new int[60];
    SplittableRandom random = new SplittableRandom(1);
    int seq = 65_500;
    for (int i = 0; i < lost.length; i++) {
      lost[i] = seq & 0xFFFF;
      seq += 1 + random.nextInt(30);
    }
    out.add(slice(buf, 0, NackEncoder.write(buf, 0, 1, 2, lost, 0, lost.length)));
    out.add(slice(buf, 0, NackEncoder.write(buf, 0, 1, 2, lost, 0, 1)));
    out.add(withPadding(RtcpFixtures.nack(), 4));
    return out;
  }

  static List<byte[]> twcc() {
    List<byte[]> out = new ArrayList<>();
    out.add(RtcpFixtures.twccPionExample4());
    out.add(RtcpFixtures.twccPionExample6());
    out.add(RtcpFixtures.twccWiresharkCapture());
    TransportCcEncoder enc = new TransportCcEncoder(300);
    byte[] buf = new byte[300];
    SplittableRandom random = new SplittableRandom(2);
    for (int k = 0; k < 5; k++) {
      enc.reset(1, 2, k);
      long t = 1_000_000;
      int seq = 65_520;
      while (enc.add(seq, random.nextInt(4) == 0 ? TransportCcEncoder.NOT_RECEIVED : t)
          == TransportCcEncoder.AddResult.ADDED) {
        t += random.nextInt(k * 30_000 + 1000) - (k == 3 ? 10_000 : 0);
        seq += 1 + (random.nextInt(10) == 0 ? random.nextInt(k * 200 + 1) : 0);
      }
      out.add(slice(buf, 0, enc.write(buf, 0)));
    }
    return out;
  }

  static List<byte[]> plis() {
    List<byte[]> out = new ArrayList<>();
    out.add(RtcpFixtures.pli());
    out.add(withPadding(RtcpFixtures.pli(), 4));
    return out;
  }

  static List<byte[]> firs() {
    List<byte[]> out = new ArrayList<>();
    out.add(RtcpFixtures.fir());
    byte[] buf = new byte[100];
    out.add(slice(buf, 0, FirEncoder.write(buf, 0, 1, new int[] {1, 2, 3}, new int[] {4, 5, 6}, 0, 3)));
    return out;
  }

  static List<byte[]> rembs() {
    List<byte[]> out = new ArrayList<>();
    out.add(RtcpFixtures.remb());
    byte[] buf = new byte[100];
    out.add(slice(buf, 0, RembEncoder.write(buf, 0, 1, Long.MAX_VALUE, new int[] {1, 2, 3, 4, 5}, 0, 5)));
    out.add(slice(buf, 0, RembEncoder.write(buf, 0, 1, 0, new int[0], 0, 0)));
    return out;
  }

  static List<byte[]> compounds() {
    List<byte[]> out = new ArrayList<>();
    out.add(concat(RtcpFixtures.senderReport(), RtcpFixtures.sdes(), RtcpFixtures.nack(), RtcpFixtures.pli()));
    out.add(concat(RtcpFixtures.receiverReport(), RtcpFixtures.sdes(), RtcpFixtures.remb(), RtcpFixtures.twccPionExample6()));
    out.add(concat(RtcpFixtures.receiverReport(), RtcpFixtures.fir(), RtcpFixtures.bye()));
    out.add(RtcpFixtures.twccPionExample4());
    out.add(concat(RtcpFixtures.nack(), RtcpFixtures.twccWiresharkCapture()));
    return out;
  }
}
