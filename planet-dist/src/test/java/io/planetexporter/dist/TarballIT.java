package io.planetexporter.dist;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.planetexporter.testfixtures.Distribution;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The tarball's entries and modes, as {@code tar -tv} lists them. */
class TarballIT {

  private static final String VERSION = System.getProperty("planet.dist.version");
  private static final String TOP = "planet-exporter-" + VERSION + "/";

  /** Entry name below the top directory -> its mode as {@code tar -tv} prints it. */
  private static Map<String, String> entries;

  @BeforeAll
  static void list() throws IOException, InterruptedException {
    Process tar =
        new ProcessBuilder("tar", "-tvzf", Distribution.tarball().toString())
            .redirectErrorStream(true)
            .start();
    String listing = new String(tar.getInputStream().readAllBytes(), UTF_8);
    assertThat(tar.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(tar.exitValue()).as(listing).isZero();
    entries = new TreeMap<>();
    for (String line : listing.split("\n")) {
      String[] fields = line.split(" +", 6);
      assertThat(fields[5]).startsWith(TOP);
      entries.put(fields[5].substring(TOP.length()), fields[0]);
    }
  }

  @Test
  void holdsTheLauncherConfigUnitAndDocsWithTheirModes() {
    assertThat(entries)
        .containsEntry("bin/planet-exporter", "-rwxr-xr-x")
        .containsEntry("bin/planet-map", "-rwxr-xr-x")
        .containsEntry("rules/planet.rules.yml", "-rw-r--r--")
        .containsEntry("rules/planet.rules.test.yml", "-rw-r--r--")
        .containsEntry("rules/planet-changes.rules.yml", "-rw-r--r--")
        .containsEntry("rules/planet-changes.rules.test.yml", "-rw-r--r--")
        .containsEntry("conf/planet-exporter.properties", "-rw-r--r--")
        .containsEntry("systemd/planet-exporter.service", "-rw-r--r--")
        .containsEntry("systemd/planet-map.service", "-rw-r--r--")
        .containsEntry("LICENSE", "-rw-r--r--")
        .containsEntry("README.md", "-rw-r--r--")
        .containsEntry("BENCHMARKS.md", "-rw-r--r--")
        .containsEntry("docs/", "drwxr-xr-x")
        .containsEntry("docs/writing-a-plugin.md", "-rw-r--r--")
        .containsEntry("docs/planet-map.png", "-rw-r--r--");
    Set<String> layout =
        Set.of(
            "bin/",
            "conf/",
            "lib/",
            "systemd/",
            "rules/",
            "bin/planet-exporter",
            "bin/planet-map",
            "rules/planet.rules.yml",
            "rules/planet.rules.test.yml",
            "rules/planet-changes.rules.yml",
            "rules/planet-changes.rules.test.yml",
            "conf/planet-exporter.properties",
            "systemd/planet-exporter.service",
            "systemd/planet-map.service",
            "LICENSE",
            "README.md",
            "BENCHMARKS.md",
            "docs/");
    assertThat(entries.keySet())
        .allMatch(
            name ->
                layout.contains(name)
                    || name.matches("lib/[^/]+\\.jar")
                    || name.matches("docs/[^/]+\\.(md|png)"),
            "a part of the layout, a jar in lib/ or a page or image of docs/");
    assertThat(entries)
        .allSatisfy(
            (name, mode) -> {
              if (name.startsWith("docs/") && !name.endsWith("/")) {
                assertThat(mode).as(name).isEqualTo("-rw-r--r--");
              }
            });
  }

  /**
   * The README and docs/ link to each other, to images and to BENCHMARKS.md: every relative link of
   * the shipped pages must find its file in the unpacked tarball.
   */
  @Test
  void everyRelativeLinkOfTheShippedPagesResolves() throws IOException {
    Path home = Distribution.shared();
    List<Path> pages =
        new ArrayList<>(List.of(home.resolve("README.md"), home.resolve("BENCHMARKS.md")));
    try (Stream<Path> docs = Files.list(home.resolve("docs"))) {
      docs.filter(page -> page.toString().endsWith(".md")).forEach(pages::add);
    }
    Pattern link = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    List<String> broken = new ArrayList<>();
    for (Path page : pages) {
      Matcher links = link.matcher(Files.readString(page));
      while (links.find()) {
        String target = links.group(1);
        if (target.startsWith("#") || target.matches("[a-z]+:.*")) {
          continue;
        }
        if (!Files.exists(page.getParent().resolve(target.replaceFirst("#.*", "")))) {
          broken.add(home.relativize(page) + ": " + target);
        }
      }
    }
    assertThat(broken).as("links to files missing from the tarball").isEmpty();
  }

  @Test
  void libHoldsTheProgramAndEveryBuiltInTaskButNoTestCode() {
    assertThat(entries)
        .containsKeys(
            "lib/planet-api-" + VERSION + ".jar",
            "lib/planet-net-" + VERSION + ".jar",
            "lib/planet-collector-" + VERSION + ".jar",
            "lib/planet-server-" + VERSION + ".jar",
            "lib/planet-map-" + VERSION + ".jar",
            "lib/planet-task-socketstat-" + VERSION + ".jar",
            "lib/planet-task-inventory-" + VERSION + ".jar",
            "lib/planet-task-darkstat-" + VERSION + ".jar",
            "lib/planet-task-ebpf-" + VERSION + ".jar");
    assertThat(entries.keySet())
        .noneMatch(name -> name.contains("-tests") || name.matches("lib/(junit|assertj).*"));
  }
}
