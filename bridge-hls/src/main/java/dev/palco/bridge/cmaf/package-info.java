/**
 * CMAF packaging, written by us from ISO/IEC 14496-12 (ISO BMFF), 14496-15 (AVC in MP4) and
 * 23000-19 (CMAF): no FFmpeg muxer, because LL-HLS needs a fragment per part and FFmpeg's recorder
 * can only flush at the end of a stream.
 *
 * <ul>
 *   <li>{@link dev.palco.bridge.cmaf.BoxWriter}: a growable buffer that nests boxes and patches
 *       their sizes.</li>
 *   <li>{@link dev.palco.bridge.cmaf.InitSegmentWriter}: {@code ftyp}+{@code moov} (the
 *       EXT-X-MAP resource) for one H.264 or AAC track.</li>
 *   <li>{@link dev.palco.bridge.cmaf.FragmentWriter}: one {@code moof}+{@code mdat} chunk from a
 *       {@link dev.palco.bridge.cmaf.SampleTable}.</li>
 *   <li>{@link dev.palco.bridge.cmaf.CmafSegmenter}: cuts a track into parts (on decode time,
 *       within PART-TARGET) and segments (on sync samples), and reports them to a
 *       {@link dev.palco.bridge.cmaf.SegmenterListener}.</li>
 *   <li>{@link dev.palco.bridge.cmaf.AnnexBConverter}, {@link dev.palco.bridge.cmaf.AvcConfiguration},
 *       {@link dev.palco.bridge.cmaf.AacConfiguration}: from encoder output to MP4 samples and
 *       decoder configurations, and the RFC 6381 codecs strings the playlists need.</li>
 * </ul>
 *
 * <p>Each rendition is one track in its own files (video and audio are separate renditions). No
 * threads, clocks or I/O: a segmenter runs on its producer's thread and allocates nothing per
 * sample once its buffers have grown to the largest part.
 */
package dev.palco.bridge.cmaf;
