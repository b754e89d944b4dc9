package dev.palco.e2e;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.TimeoutException;

/** Waits on getStats() counters: media from given publishers decoding and still growing. */
final class MediaChecks {

  private MediaChecks() {}

  /**
   * Waits until the page decodes video frames and receives audio samples from every publisher
   * given, then until every one of those counters has grown again (so media keeps flowing).
   */
  static Map<String, StageBrowser.Inbound> awaitFlowing(StageServer server, StageBrowser page,
      List<String> publishers, Duration timeout) {
    try {
      return awaitFlowingOrThrow(page, publishers, timeout);
    } catch (TimeoutException e) {
      throw new AssertionError(page.label + ": no steady media from " + publishers + "; " + page.describe()
          + "\nSFU:" + server.describeMedia(), e);
    }
  }

  private static Map<String, StageBrowser.Inbound> awaitFlowingOrThrow(StageBrowser page, List<String> publishers,
      Duration timeout) {
    Map<String, StageBrowser.Inbound> first = page.waitFor(d -> {
      Map<String, StageBrowser.Inbound> now = page.inboundByPublisher();
      for (String p : publishers) {
        StageBrowser.Inbound video = now.get(p + "/video");
        StageBrowser.Inbound audio = now.get(p + "/audio");
        if (video == null || video.framesDecoded() == 0 || audio == null || audio.totalSamplesReceived() == 0) {
          return null;
        }
      }
      return now;
    }, timeout, "audio and video from " + publishers);
    return page.waitFor(d -> {
      Map<String, StageBrowser.Inbound> now = page.inboundByPublisher();
      for (String p : publishers) {
        if (now.get(p + "/video").framesDecoded() <= first.get(p + "/video").framesDecoded()
            || now.get(p + "/audio").totalSamplesReceived() <= first.get(p + "/audio").totalSamplesReceived()) {
          return null;
        }
      }
      return now;
    }, Duration.ofSeconds(5), "audio and video from " + publishers + " to keep growing");
  }

  /**
   * Waits until one inbound stream's packet count has not moved for a second (the SFU stopped
   * forwarding it).
   */
  static void awaitStopped(StageBrowser page, String key, Duration timeout) {
    long[] last = {-1, 0};
    page.waitFor(d -> {
      StageBrowser.Inbound now = page.inboundByPublisher().get(key);
      long packets = now == null ? 0 : now.packetsReceived();
      long t = System.nanoTime();
      if (packets != last[0]) {
        last[0] = packets;
        last[1] = t;
        return false;
      }
      return t - last[1] >= 1_000_000_000L;
    }, timeout, key + " to stop");
  }
}
