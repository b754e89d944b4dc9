package dev.palco.sfu.sdp;

import java.util.HexFormat;

/**
 * The H.264 {@code profile-level-id} format parameter.
 *
 * <pre>
 * RFC 6184 §8.1:
 *   profile-level-id = 6HEXDIG    ; base16 of three bytes of the sequence parameter set:
 *   +---------------+---------------+---------------+
 *   |  profile_idc  |  profile-iop  |   level_idc   |
 *   +---------------+---------------+---------------+
 *   profile-iop = constraint_set0..5 flags + 2 reserved zero bits
 *   absent => 420010 (Baseline, level 1.0)
 *   e.g. 42e01f = Constrained Baseline (0x42, constraint_set0+1+2), level 3.1 (0x1f)
 * </pre>
 *
 * RFC 6184 §8.2.2: in offer/answer the profile (profile_idc with profile-iop) must be the same on
 * both sides; the level is a receiver's capability, so an answerer may answer the same profile with a
 * level at or below the offered one.
 *
 * @param profileIdc the profile_idc byte
 * @param profileIop the constraint flags byte
 * @param levelIdc the level_idc byte
 */
public record H264ProfileLevelId(int profileIdc, int profileIop, int levelIdc) {

  /** The value meant when the parameter is absent (RFC 6184 §8.1). */
  public static final H264ProfileLevelId DEFAULT = new H264ProfileLevelId(0x42, 0x00, 0x0a);

  /** Parses six hex digits; throws {@link IllegalArgumentException} otherwise. */
  public static H264ProfileLevelId parse(String hex) {
    if (hex.length() != 6) {
      throw new IllegalArgumentException("profile-level-id must be 6 hex digits: '" + SdpTokens.shorten(hex) + "'");
    }
    for (int i = 0; i < 6; i++) {
      if (Character.digit(hex.charAt(i), 16) < 0) {
        throw new IllegalArgumentException("profile-level-id must be 6 hex digits: '" + hex + "'");
      }
    }
    return new H264ProfileLevelId(HexFormat.fromHexDigits(hex, 0, 2), HexFormat.fromHexDigits(hex, 2, 4),
        HexFormat.fromHexDigits(hex, 4, 6));
  }

  /** @return true if the profile (profile_idc and profile-iop) is the same, whatever the level */
  public boolean sameProfile(H264ProfileLevelId other) {
    return profileIdc == other.profileIdc && profileIop == other.profileIop;
  }

  /** @return this profile at the lower of the two levels (level_idc compared as a number) */
  public H264ProfileLevelId withLevelAtMost(int maxLevelIdc) {
    return new H264ProfileLevelId(profileIdc, profileIop, Math.min(levelIdc, maxLevelIdc));
  }

  /** @return six lower-case hex digits, as browsers write them */
  public String toHex() {
    return HexFormat.of().toHexDigits((byte) profileIdc) + HexFormat.of().toHexDigits((byte) profileIop)
        + HexFormat.of().toHexDigits((byte) levelIdc);
  }
}
