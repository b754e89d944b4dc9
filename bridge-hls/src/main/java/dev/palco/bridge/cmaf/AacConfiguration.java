package dev.palco.bridge.cmaf;

/**
 * An AAC AudioSpecificConfig and what the init segment and playlists need from it.
 *
 * <pre>
 * ISO/IEC 14496-3 §1.6.2.1, AudioSpecificConfig (the leading fields):
 *
 *   audioObjectType           5 bits   // 2 = AAC LC; 31 = escape (not used by our encoders)
 *   samplingFrequencyIndex    4 bits   // 0xF = explicit 24-bit frequency follows
 *   [samplingFrequency       24 bits]
 *   channelConfiguration      4 bits
 * </pre>
 */
public final class AacConfiguration {

    /** Samples per AAC LC frame (ISO/IEC 14496-3 §4.5.1.1 frameLengthFlag = 0). */
    public static final int SAMPLES_PER_FRAME = 1024;

    private static final int[] SAMPLING_FREQUENCIES_HZ = {
        96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350
    };

    private final byte[] audioSpecificConfig;
    private final int objectType;
    private final int sampleRateHz;
    private final int channelCount;

    private AacConfiguration(byte[] asc, int objectType, int sampleRateHz, int channelCount) {
        this.audioSpecificConfig = asc;
        this.objectType = objectType;
        this.sampleRateHz = sampleRateHz;
        this.channelCount = channelCount;
    }

    /**
     * Reads an AudioSpecificConfig.
     *
     * @throws IllegalArgumentException when it is too short, escapes the object type, or names a
     *     reserved frequency index or channel configuration (control-plane input, checked once)
     */
    public static AacConfiguration of(byte[] asc) {
        if (asc.length < 2) {
            throw new IllegalArgumentException("AudioSpecificConfig shorter than 2 bytes");
        }
        int objectType = (asc[0] & 0xFF) >>> 3;
        if (objectType == 0 || objectType == 31) {
            throw new IllegalArgumentException("unsupported audioObjectType " + objectType);
        }
        int freqIndex = (asc[0] & 0x07) << 1 | (asc[1] & 0xFF) >>> 7;
        int rate;
        int channelBitsPos;
        if (freqIndex == 0xF) {
            rate = readBits(asc, 9, 24);
            channelBitsPos = 9 + 24;
        } else if (freqIndex < SAMPLING_FREQUENCIES_HZ.length) {
            rate = SAMPLING_FREQUENCIES_HZ[freqIndex];
            channelBitsPos = 9;
        } else {
            throw new IllegalArgumentException("reserved samplingFrequencyIndex " + freqIndex);
        }
        int channels = readBits(asc, channelBitsPos, 4);
        if (channels == 0 || channels > 7) {
            throw new IllegalArgumentException("unsupported channelConfiguration " + channels);
        }
        return new AacConfiguration(asc.clone(), objectType, rate, channels == 7 ? 8 : channels);
    }

    private static int readBits(byte[] b, int bitPos, int count) {
        int v = 0;
        for (int i = 0; i < count; i++) {
            int p = bitPos + i;
            if (p / 8 >= b.length) {
                throw new IllegalArgumentException("AudioSpecificConfig truncated");
            }
            v = v << 1 | (b[p / 8] >>> (7 - p % 8) & 1);
        }
        return v;
    }

    /** RFC 6381 §3.3 codecs string, {@code mp4a.40.<audioObjectType>}, e.g. {@code mp4a.40.2}. */
    public String codecs() {
        return "mp4a.40." + objectType;
    }

    /** Sampling rate in Hz; also the track timescale. */
    public int sampleRateHz() {
        return sampleRateHz;
    }

    /** Output channels. */
    public int channelCount() {
        return channelCount;
    }

    /** audioObjectType (2 for AAC LC). */
    public int objectType() {
        return objectType;
    }

    /** Writes the AudioSpecificConfig bytes. */
    void writeConfig(BoxWriter out) {
        out.bytes(audioSpecificConfig, 0, audioSpecificConfig.length);
    }

    /** Length of the AudioSpecificConfig in bytes. */
    int configLength() {
        return audioSpecificConfig.length;
    }
}
