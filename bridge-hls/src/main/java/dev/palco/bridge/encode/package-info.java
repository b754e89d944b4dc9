/**
 * The encode half of the bridge: raw pictures (BGR24, I420, or any FFmpeg {@code AVFrame}) and
 * 48 kHz PCM in, each with its capture wall-clock time; an H.264/AAC ABR ladder out, handed to one
 * {@link dev.palco.bridge.cmaf.CmafSegmenter} per rendition and published on a
 * {@link dev.palco.bridge.origin.LiveOrigin}.
 *
 * <ul>
 *   <li>{@link dev.palco.bridge.encode.LadderEncoder}: the stage: frame grid, IDR placement,
 *       epoch, counters.</li>
 *   <li>{@link dev.palco.bridge.encode.LadderConfig}, {@link dev.palco.bridge.encode.VideoRung},
 *       {@link dev.palco.bridge.encode.AudioRung}: what is encoded.</li>
 *   <li>{@code H264RungEncoder}, {@code AacRungEncoder}: one FFmpeg encoder each (swscale +
 *       libx264 zerolatency; the native AAC-LC encoder), through the raw {@code AVCodecContext}
 *       API of {@code org.bytedeco.ffmpeg}.</li>
 * </ul>
 *
 * <p><b>Why not FFmpegFrameRecorder or FFmpeg's muxers.</b> LL-HLS needs each part as its own
 * CMAF chunk the moment its last frame is encoded; the recorder's {@code flush()} ends the stream
 * and FFmpeg's HLS muxer cannot write parts. So the encoders hand packets over one by one and
 * {@code dev.palco.bridge.cmaf} writes the boxes.
 *
 * <p>Native code: the GPL build of FFmpeg ({@code linux-x86_64-gpl}) for libx264. The first use
 * loads the natives (about 0.5 s); set {@code org.bytedeco.javacpp.cachedir} to keep their
 * extracted copy out of {@code $HOME}.
 */
package dev.palco.bridge.encode;
