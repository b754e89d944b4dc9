package dev.palco.sfu.sdp;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An SFU offer to a subscriber.
 *
 * @param offer the offer to send; becomes the SFU's local description once the answer arrives
 * @param midsByTrackId the mid of the section each outgoing track is in
 */
public record OfferResult(SessionDescription offer, Map<String, String> midsByTrackId) {

  /** Copies the map so the record stays immutable. */
  public OfferResult {
    midsByTrackId = Collections.unmodifiableMap(new LinkedHashMap<>(midsByTrackId));
  }
}
