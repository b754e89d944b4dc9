package dev.palco.bridge.stage;

import org.bytedeco.ffmpeg.avutil.AVFrame;

/**
 * What the ingest half of the bridge (subscribe, depacketize, decode) hands the compose half
 * (composite, mix, encode): decoded pictures and PCM per track, each with the wall-clock time it
 * was captured, and the stage's comings and goings.
 *
 * <p><b>Time.</b> {@code captureUs} is microseconds since the epoch on this server's clock: the
 * sender's capture time (abs-capture-time, or the RTP timestamp mapped through the sender's RTCP
 * sender reports), moved onto the local clock. A participant's audio and video share one mapping,
 * so their capture times agree to the sender's own sync (lip sync).
 *
 * <p><b>Threads.</b> Calls for one track come from one thread, in order; different tracks may
 * call from different threads at once. A listener must not block: it copies or scales what it
 * needs and returns. Buffers handed in are valid only during the call.
 */
public interface StageListener {

  /** A track appeared on the stage (its first frame follows). */
  void onTrackStarted(StageTrack track);

  /**
   * One decoded picture of a video track, as the decoder made it (planar YUV, usually
   * {@code AV_PIX_FMT_YUV420P}; its size may change between calls).
   */
  void onVideoFrame(StageTrack track, AVFrame picture, long captureUs);

  /**
   * Decoded audio of a microphone track: 48 kHz, signed 16-bit, {@code channels} interleaved.
   */
  void onAudio(StageTrack track, short[] pcm, int offset, int sampleFrames, int channels, long captureUs);

  /** A track left the stage (unpublished, or its publisher left). No call for it follows. */
  void onTrackEnded(StageTrack track);

  /** The room's dominant speaker changed ({@code null}: nobody is speaking). */
  void onDominantSpeaker(String participantId);
}
