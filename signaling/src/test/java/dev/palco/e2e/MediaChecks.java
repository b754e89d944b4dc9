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
}
