package dev.palco.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.Properties;

/**
 * The server's entry point and composition root.
 *
 * <p>Until the signaling server and the media plane are wired together, it reports the build
 * version and which of Palco's modules this build carries, by probing for each module's
 * defining class on the classpath.
 */
public final class PalcoMain {

  /** A module and the class whose presence shows that the module's feature is built. */
  private record ModuleProbe(String module, String definingClass, String feature) {}

  private static final ModuleProbe[] PROBES = {
    new ModuleProbe("rtp", "dev.palco.rtp.RtpPacket", "RTP/RTCP wire formats, SRTP, DTLS-SRTP"),
    new ModuleProbe("sfu", "dev.palco.sfu.room.Room", "WebRTC SFU media plane"),
    new ModuleProbe("bridge-hls", "dev.palco.bridge.Bridge", "stage to LL-HLS bridge"),
    new ModuleProbe("turn-config", "dev.palco.turn.TurnCredentials", "TURN REST credentials"),
    new ModuleProbe("signaling", "dev.palco.signaling.SignalingServer", "WebSocket signaling"),
  };

  private PalcoMain() {}

  public static void main(String[] args) {
    printStatus(System.out);
  }

  static void printStatus(PrintStream out) {
    out.println("Palco " + version());
    for (ModuleProbe probe : PROBES) {
      out.printf("  %-12s %-9s %s%n", probe.module(), present(probe.definingClass()) ? "built" : "not yet", probe.feature());
    }
  }

  static String version() {
    Properties props = new Properties();
    try (InputStream in = PalcoMain.class.getResourceAsStream("version.properties")) {
      if (in != null) {
        props.load(in);
      }
    } catch (IOException e) {
      // The version is informative only; a damaged jar still starts.
    }
    return props.getProperty("version", "unknown");
  }

  private static boolean present(String className) {
    try {
      Class.forName(className, false, PalcoMain.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }
}
