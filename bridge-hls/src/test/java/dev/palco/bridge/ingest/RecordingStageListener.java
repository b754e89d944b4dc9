package dev.palco.bridge.ingest;

import dev.palco.bridge.stage.StageListener;
import dev.palco.bridge.stage.StageTrack;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.BytePointer;

/**
 * Records what the ingest hands the compose half: the stage's events, each picture read back as
 * the frame number its stripes encode (and whether every stripe has the luma it was drawn with),
 * and the PCM of each microphone track.
 */
class RecordingStageListener implements StageListener {
  /** How far a stripe's mean luma may be from what was drawn (lossy coding). */
  static final int LUMA_TOLERANCE = 12;

  /** One picture as read back. */
  record Picture(int index, boolean contentMatches, long captureUs, int width, int height, String thread) {}

  /** One block of PCM. */
  record Block(long captureUs, int sampleFrames, int channels) {}

  private final List<String> events = new ArrayList<>();
  private final Map<String, List<Picture>> pictures = new HashMap<>();
  private final Map<String, List<Block>> blocks = new HashMap<>();
  private final Map<String, short[]> left = new HashMap<>();
  private final Map<String, Integer> leftLength = new HashMap<>();

  @Override
  public synchronized void onTrackStarted(StageTrack track) {
    events.add("started " + track.participantId() + " " + track.source());
  }

  @Override
  public void onVideoFrame(StageTrack track, AVFrame picture, long captureUs) {
    Picture p = readBack(picture, captureUs);
    synchronized (this) {
      pictures.computeIfAbsent(track.trackId(), k -> new ArrayList<>()).add(p);
    }
  }

  private static Picture readBack(AVFrame f, long captureUs) {
    int w = f.width();
    int h = f.height();
    if (f.format() != avutil.AV_PIX_FMT_YUV420P) {
      return new Picture(-1, false, captureUs, w, h, Thread.currentThread().getName());
    }
    BytePointer y = f.data(0);
    int ls = f.linesize(0);
    byte[] row = new byte[w];
    long[] sum = new long[TestEncoders.STRIPES];
    int[] n = new int[TestEncoders.STRIPES];
    for (int r = h / 8; r < h - h / 8; r += 4) {
      y.position((long) r * ls).get(row, 0, w);
      for (int s = 0; s < TestEncoders.STRIPES; s++) {
        int x0 = s * w / TestEncoders.STRIPES;
        int x1 = (s + 1) * w / TestEncoders.STRIPES;
        int margin = (x1 - x0) / 4;
        for (int x = x0 + margin; x < x1 - margin; x++) {
          sum[s] += row[x] & 0xFF;
          n[s]++;
        }
      }
    }
    y.position(0);
    int index = 0;
    boolean ok = true;
    for (int s = 0; s < TestEncoders.STRIPES; s++) {
      long mean = sum[s] / n[s];
      boolean bright = mean > (TestEncoders.BRIGHT + TestEncoders.DARK) / 2;
      if (bright) {
        index |= 1 << s;
      }
      ok &= Math.abs(mean - (bright ? TestEncoders.BRIGHT : TestEncoders.DARK)) <= LUMA_TOLERANCE;
    }
    return new Picture(index, ok, captureUs, w, h, Thread.currentThread().getName());
  }

  @Override
  public synchronized void onAudio(StageTrack track, short[] pcm, int offset, int sampleFrames, int channels,
      long captureUs) {
    blocks.computeIfAbsent(track.trackId(), k -> new ArrayList<>()).add(new Block(captureUs, sampleFrames, channels));
    short[] l = left.getOrDefault(track.trackId(), new short[48_000]);
    int len = leftLength.getOrDefault(track.trackId(), 0);
    if (len + sampleFrames > l.length) {
      l = java.util.Arrays.copyOf(l, Math.max(l.length * 2, len + sampleFrames));
    }
    for (int i = 0; i < sampleFrames; i++) {
      l[len + i] = pcm[offset + i * channels];
    }
    left.put(track.trackId(), l);
    leftLength.put(track.trackId(), len + sampleFrames);
  }

  @Override
  public synchronized void onTrackEnded(StageTrack track) {
    events.add("ended " + track.participantId() + " " + track.source());
  }

  @Override
  public synchronized void onDominantSpeaker(String participantId) {
    events.add("speaker " + participantId);
  }

  synchronized List<String> events() {
    return List.copyOf(events);
  }

  synchronized List<Picture> pictures(String trackId) {
    return List.copyOf(pictures.getOrDefault(trackId, List.of()));
  }

  synchronized List<Block> blocks(String trackId) {
    return List.copyOf(blocks.getOrDefault(trackId, List.of()));
  }

  synchronized short[] leftChannel(String trackId) {
    return java.util.Arrays.copyOf(left.getOrDefault(trackId, new short[0]), leftLength.getOrDefault(trackId, 0));
  }
}
