package dev.palco.loadtest.generator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Scenario files (HOCON) and the flags that override them. */
class ScenarioFileTest {
  private static final Path DIR = Path.of("target", "scenario-files");

  private static Path write(String name, String hocon) throws Exception {
    Files.createDirectories(DIR);
    Path file = DIR.resolve(name);
    Files.writeString(file, hocon);
    return file;
  }

  @Test
  void aGoodFileSetsEveryOption() throws Exception {
    Path file = write("good.conf", """
        scenario = simulcast
        target = palco
        subscribers = 6
        ramp = 4s
        settle = 1500ms
        duration = 1m
        hls-viewers = 3
        connect-parallelism = 2
        clients = ice4j
        video { bitrate-bps = 800000, fps = 25, keyframe-interval = 3s }
        simulcast {
          layers = [
            { rid = lo, width = 320, height = 180, bitrate-bps = 100000 }
            { rid = hi, width = 960, height = 540, bitrate-bps = 900000 }
          ]
          bandwidth-mix = [
            { name = slow, limit-bps = 250000, weight = 2, bottleneck = policer }
            { name = fast, limit-bps = 0 }
          ]
        }
        """);
    GeneratorOptions o = GeneratorOptions.parse(new String[] {"--scenario-file=" + file});
    assertEquals("simulcast", o.scenario());
    assertEquals(6, o.subscribers());
    assertEquals(4.0, o.rampS());
    assertEquals(1.5, o.settleS());
    assertEquals(60.0, o.durationS());
    assertEquals(3, o.hlsViewers());
    assertEquals(2, o.connectParallelism());
    assertEquals("ice4j", o.clients());
    assertEquals(800_000, o.bitrateBps());
    assertEquals(25, o.fps());
    assertEquals(3.0, o.keyframeS());
    assertEquals(List.of(new GeneratorOptions.SimulcastLayer("lo", 320, 180, 100_000),
        new GeneratorOptions.SimulcastLayer("hi", 960, 540, 900_000)), o.layers());
    assertEquals(List.of(new GeneratorOptions.BandwidthClass("slow", 250_000, 2, ReceiveShaper.Kind.POLICER),
        new GeneratorOptions.BandwidthClass("fast", 0, 1, ReceiveShaper.Kind.QUEUE)), o.bandwidthMix());
    // The mix is given out in turn, by weight: slow, slow, fast, slow, ...
    assertEquals("slow", o.bandwidthClassOf(0).name());
    assertEquals("slow", o.bandwidthClassOf(1).name());
    assertEquals("fast", o.bandwidthClassOf(2).name());
    assertEquals("slow", o.bandwidthClassOf(3).name());
  }

  @Test
  void flagsGivenAlongsideOverrideTheFile() throws Exception {
    Path file = write("override.conf", "scenario = meeting\nparticipants = 5\nduration = 30s\nramp = 5s\n");
    GeneratorOptions o = GeneratorOptions.parse(new String[] {"--participants", "3", "--scenario-file", file.toString(),
        "--duration-s=8"});
    assertEquals("meeting", o.scenario());
    assertEquals(3, o.participants());
    assertEquals(8.0, o.durationS());
    assertEquals(5.0, o.rampS());
    // What neither sets keeps its default.
    assertEquals(GeneratorOptions.defaults().bitrateBps(), o.bitrateBps());
  }

  @ParameterizedTest
  @ValueSource(strings = {"broadcast.conf", "meeting.conf", "simulcast.conf", "churn.conf"})
  void theShippedExamplesParse(String name) {
    GeneratorOptions o = GeneratorOptions.parse(new String[] {"--scenario-file=scenarios/" + name});
    assertEquals(name.replace(".conf", ""), o.scenario());
  }

  /** Each bad file names the key at fault (and where it is) in its message. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      unknown top-level key            | subscriber = 5                                          | subscriber
      unknown nested key               | video { bitrate = 5 }                                   | video.bitrate
      number of the wrong type         | subscribers = many                                      | subscribers
      zero subscribers                 | subscribers = 0                                         | subscribers
      negative churn                   | churn-per-second = -1                                   | churn-per-second
      duration that is not one         | ramp = fast                                             | ramp
      negative duration                | duration = -5s                                          | duration
      zero keyframe interval           | video { keyframe-interval = 0s }                        | video.keyframe-interval
      unknown scenario                 | scenario = party                                        | scenario
      unknown target                   | target = mediasoup                                      | target
      unknown client stack             | clients = netty                                         | clients
      layers not a list                | simulcast { layers = q }                                | simulcast.layers
      no layers                        | simulcast { layers = [] }                               | simulcast.layers
      layer without width              | simulcast { layers = [ { rid = q, height = 1, bitrate-bps = 1 } ] } | simulcast.layers[0].width
      layer without rid                | simulcast { layers = [ { width = 1, height = 1, bitrate-bps = 1 } ] } | simulcast.layers[0].rid
      layer with a text width          | simulcast { layers = [ { rid = q, width = big, height = 1, bitrate-bps = 1 } ] } | simulcast.layers[0].width
      unknown layer key                | simulcast { layers = [ { rid = q, width = 1, height = 1, bitrate-bps = 1, fps = 5 } ] } | simulcast.layers[0].fps
      negative class limit             | simulcast { bandwidth-mix = [ { name = a, limit-bps = -1 } ] } | simulcast.bandwidth-mix[0].limit-bps
      zero class weight                | simulcast { bandwidth-mix = [ { name = a, limit-bps = 1, weight = 0 } ] } | simulcast.bandwidth-mix[0].weight
      class without limit              | simulcast { bandwidth-mix = [ { name = a } ] }          | simulcast.bandwidth-mix[0].limit-bps
      empty mix                        | simulcast { bandwidth-mix = [] }                        | simulcast.bandwidth-mix
      unknown bottleneck               | simulcast { bandwidth-mix = [ { name = a, limit-bps = 1, bottleneck = wall } ] } | simulcast.bandwidth-mix[0].bottleneck
      """)
  void aBadKeyIsNamed(String what, String hocon, String key) throws Exception {
    Path file = write("bad.conf", hocon + "\n");
    ConfigException e = assertThrows(ConfigException.class,
        () -> GeneratorOptions.parse(new String[] {"--scenario-file=" + file}), what);
    assertTrue(e.getMessage().contains(key), e.getMessage());
    assertTrue(e.getMessage().contains("bad.conf"), e.getMessage());
  }

  @Test
  void aSyntaxErrorOrAMissingFileIsAConfigException() throws Exception {
    Path file = write("syntax.conf", "video { fps = 30\n");
    assertTrue(assertThrows(ConfigException.class,
        () -> GeneratorOptions.parse(new String[] {"--scenario-file=" + file})).getMessage().contains("syntax.conf"));
    assertThrows(ConfigException.class,
        () -> GeneratorOptions.parse(new String[] {"--scenario-file=" + DIR.resolve("absent.conf")}));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      --subscribers=many            | --subscribers
      --ramp-s=soon                 | --ramp-s
      --layers=q:320:1              | --layers
      --bandwidth-mix=slow:-5:1     | --bandwidth-mix
      --bandwidth-mix=slow:5        | --bandwidth-mix
      --bandwidth-mix=slow:5:1:wall | --bandwidth-mix
      --scenario=party              | --scenario
      --colour=blue                 | --colour
      """)
  void aBadFlagIsNamed(String flag, String name) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> GeneratorOptions.parse(new String[] {flag}));
    assertTrue(e.getMessage().contains(name), e.getMessage());
  }

  @Test
  void meetingAndSimulcastNeedPalco() {
    assertThrows(IllegalArgumentException.class,
        () -> GeneratorOptions.parse(new String[] {"--scenario=meeting", "--target=janus"}));
    assertThrows(IllegalArgumentException.class,
        () -> GeneratorOptions.parse(new String[] {"--scenario=meeting", "--participants=1"}));
    Map<String, String> flags = ScenarioFile.parse("scenario = churn\nchurn-per-second = 3\nramp = 2s");
    assertEquals(Map.of("scenario", "churn", "churn-per-s", "3", "ramp-s", "2.0"), flags);
  }
}
