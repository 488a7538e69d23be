package io.planetexporter.task.socketstat.classify;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The sysctls that decide what a socket means.
 *
 * @param ephemeralLow first port of {@code net.ipv4.ip_local_port_range}
 * @param ephemeralHigh last port of that range
 * @param bindV6Only {@code net.ipv6.bindv6only}: whether a {@code ::} listener is IPv6-only unless
 *     it says otherwise (it cannot say so in {@code /proc}, so this decides)
 */
public record KernelSettings(int ephemeralLow, int ephemeralHigh, boolean bindV6Only) {

  /** The kernel's defaults, used where a setting cannot be read. */
  static final KernelSettings DEFAULTS = new KernelSettings(32768, 60999, false);

  public KernelSettings {
    if (ephemeralLow < 0 || ephemeralHigh > 65535 || ephemeralLow > ephemeralHigh) {
      throw new IllegalArgumentException(
          "bad ephemeral port range " + ephemeralLow + "-" + ephemeralHigh);
    }
  }

  /** Reads {@code <procRoot>/sys/net/...}; a missing file keeps the kernel's default. */
  public static KernelSettings read(Path procRoot) throws IOException {
    int low = DEFAULTS.ephemeralLow;
    int high = DEFAULTS.ephemeralHigh;
    String range = readOrNull(procRoot.resolve("sys/net/ipv4/ip_local_port_range"));
    if (range != null) {
      String[] ports = range.trim().split("\\s+");
      try {
        low = Integer.parseInt(ports[0]);
        high = Integer.parseInt(ports[ports.length - 1]);
      } catch (NumberFormatException e) {
        throw new IOException("ip_local_port_range: not two ports: \"" + range.trim() + "\"", e);
      }
    }
    String v6Only = readOrNull(procRoot.resolve("sys/net/ipv6/bindv6only"));
    return new KernelSettings(low, high, v6Only != null && v6Only.trim().equals("1"));
  }

  private static String readOrNull(Path file) throws IOException {
    try {
      return new String(Files.readAllBytes(file), StandardCharsets.US_ASCII);
    } catch (NoSuchFileException ignored) {
      return null;
    }
  }

  boolean isEphemeral(int port) {
    return port >= ephemeralLow && port <= ephemeralHigh;
  }
}
