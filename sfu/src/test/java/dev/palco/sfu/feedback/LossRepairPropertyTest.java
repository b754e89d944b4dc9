package dev.palco.sfu.feedback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.PriorityQueue;
import java.util.SplittableRandom;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Random loss and reordering (seeded) fed through a {@link DuplicateFilter} and a
 * {@link NackGenerator}, with NACKs answered by retransmissions that may themselves be lost or
 * duplicated: every lost packet is requested until it is recovered or given up, and no packet is
 * delivered twice.
 */
class LossRepairPropertyTest {

    private static final int PACKETS = 150_000; // wraps the 16-bit sequence number twice
    private static final long RTT_MS = 40;
    private static final int MAX_NACKS = 5;

    /** An arrival in the simulated network, ordered by time. */
    private record Arrival(long atMs, int id, long order) implements Comparable<Arrival> {
        @Override
        public int compareTo(Arrival o) {
            return atMs != o.atMs ? Long.compare(atMs, o.atMs) : Long.compare(order, o.order);
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void everyLostPacketIsRequestedUntilRecoveredOrGivenUpAndNothingIsDeliveredTwice(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        NackGenerator nacks = new NackGenerator(10, 20, MAX_NACKS, 1000, 1000, 3000);
        nacks.setRttMs(RTT_MS);
        DuplicateFilter filter = new DuplicateFilter(1024);
        PriorityQueue<Arrival> network = new PriorityQueue<>();
        boolean[] delivered = new boolean[PACKETS];
        int[] requests = new int[PACKETS];
        int[] due = new int[256];
        long order = 0;
        long duplicatesSent = 0;

        long nowMs = 0;
        int nextId = 0;
        // One packet per millisecond, then 3 s of draining with no new packets.
        while (nextId < PACKETS || nowMs < PACKETS + 3000) {
            if (nextId < PACKETS) {
                int roll = random.nextInt(100);
                // The first packets always arrive, so tracking starts at packet 0, and so do the
                // last ones, so every gap is followed by a later packet.
                boolean lastOnes = nextId < 5 || nextId >= PACKETS - 5;
                if (lastOnes || roll >= 6) {
                    long delayMs = (!lastOnes && roll < 12) ? 1 + random.nextInt(30) : 0; // reordered
                    network.add(new Arrival(nowMs + delayMs, nextId, order++));
                }
                nextId++;
            }
            while (!network.isEmpty() && network.peek().atMs() <= nowMs) {
                int id = network.poll().id();
                int seq = id & 0xFFFF;
                nacks.onPacket(seq, nowMs);
                if (filter.accept(seq)) {
                    assertFalse(delivered[id], "packet " + id + " delivered twice");
                    delivered[id] = true;
                } else {
                    assertTrue(delivered[id], "packet " + id + " refused before it was ever delivered");
                }
            }
            int n = nacks.collectDue(nowMs, due);
            for (int i = 0; i < n; i++) {
                int id = idNear(due[i], nextId - 1);
                requests[id]++;
                assertTrue(requests[id] <= MAX_NACKS, "packet " + id + " requested too often");
                // The retransmission is lost 30% of the time, and occasionally arrives twice.
                if (random.nextInt(100) >= 30) {
                    network.add(new Arrival(nowMs + RTT_MS, id, order++));
                    if (random.nextInt(20) == 0) {
                        network.add(new Arrival(nowMs + RTT_MS + 1, id, order++));
                        duplicatesSent++;
                    }
                }
            }
            nowMs++;
        }

        int neverDelivered = 0;
        for (int id = 0; id < PACKETS; id++) {
            if (!delivered[id]) {
                neverDelivered++;
                // Lost for good: it was requested (all the allowed times, as the age limit is far).
                assertEquals(MAX_NACKS, requests[id], "packet " + id + " given up too early");
            }
        }
        assertEquals(0, nacks.missingCount(), "nothing left pending after draining");
        assertEquals(nacks.packetsMissed(), nacks.recovered() + nacks.givenUp());
        assertEquals(neverDelivered, nacks.givenUp());
        assertTrue(nacks.recovered() > PACKETS / 50, "recovered " + nacks.recovered());
        assertTrue(filter.duplicates() >= duplicatesSent / 2, "duplicates refused " + filter.duplicates());
        assertEquals(0, filter.tooOld());
    }

    /** The packet id whose sequence number is {@code seq}, nearest below the newest id sent. */
    private static int idNear(int seq, int newestId) {
        int id = newestId - ((newestId - seq) & 0xFFFF);
        return id;
    }
}
