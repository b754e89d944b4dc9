/**
 * The packet pipeline: chains of {@link dev.palco.sfu.pipeline.Node}s that carry a pooled
 * {@link dev.palco.sfu.pipeline.PacketInfo} from the socket to the decision to forward it, and
 * from the forwarder to the socket of every subscriber.
 *
 * <p>A node transforms, filters, observes, routes or consumes; every node counts its packets and
 * its drops by {@link dev.palco.sfu.pipeline.DropReason}. Nothing here throws on a bad packet: it
 * is dropped, counted and returned to its pool.
 */
package dev.palco.sfu.pipeline;
