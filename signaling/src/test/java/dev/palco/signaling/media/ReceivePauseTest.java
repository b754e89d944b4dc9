package dev.palco.signaling.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.palco.sfu.alloc.PauseReason;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every SFU pause reason has a signaling name, and the names on the wire are distinct. */
class ReceivePauseTest {

  @Test
  void everySfuReasonMapsToItsWireName() {
    assertEquals(ReceivePause.NONE, SfuMediaPlane.receivePause(PauseReason.NONE));
    assertEquals(ReceivePause.HIDDEN, SfuMediaPlane.receivePause(PauseReason.HIDDEN));
    assertEquals(ReceivePause.LAST_N, SfuMediaPlane.receivePause(PauseReason.LAST_N));
    assertEquals(ReceivePause.BANDWIDTH, SfuMediaPlane.receivePause(PauseReason.BANDWIDTH));
    assertEquals(ReceivePause.NO_LIVE_LAYER, SfuMediaPlane.receivePause(PauseReason.NO_LIVE_LAYER));
    assertEquals(PauseReason.values().length, ReceivePause.values().length);
  }

  @Test
  void onlyNoneHasNoReasonAndTheReasonsAreDistinct() {
    Set<String> names = new HashSet<>();
    for (ReceivePause p : ReceivePause.values()) {
      if (p == ReceivePause.NONE) {
        assertNull(p.wireName());
      } else {
        assertNotNull(p.wireName());
        assertEquals(true, names.add(p.wireName()), p.wireName());
      }
    }
    assertEquals(Set.of("hidden", "last-n", "bandwidth", "no-live-layer"), names);
  }
}
