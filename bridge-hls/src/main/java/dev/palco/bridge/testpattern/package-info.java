/**
 * A synthetic live source for tests, benchmarks and demos: {@link
 * dev.palco.bridge.testpattern.TestPattern} draws moving pictures with the frame number and the
 * capture time burnt in, plus a tone; {@link dev.palco.bridge.testpattern.LiveTestStream} plays it
 * into a {@link dev.palco.bridge.encode.LadderEncoder} in real time; {@link
 * dev.palco.bridge.testpattern.TestStreamServer} serves it over HTTP for a player to watch.
 */
package dev.palco.bridge.testpattern;
