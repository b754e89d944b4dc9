/**
 * Small building blocks shared by the SFU's packet path: the injected {@link dev.palco.sfu.util.Clock}
 * (so timing logic is tested with a {@link dev.palco.sfu.util.ManualClock} instead of sleeps), the
 * bounded {@link dev.palco.sfu.util.BufferPool} of packet-sized byte arrays, and the 16/32-bit
 * wrap-around arithmetic for RTP sequence numbers and timestamps ({@link dev.palco.sfu.util.RtpWrap}).
 *
 * <p>Nothing here allocates in steady state, opens sockets or starts threads.
 */
package dev.palco.sfu.util;
