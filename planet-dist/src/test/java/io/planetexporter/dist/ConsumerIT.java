package io.planetexporter.dist;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An outside project builds offline against the published artifacts and runs: it imports the BOM
 * and uses the inventory, socketstat and the address values as libraries. The artifacts are
 * installed (with sources and javadoc) into this module's own repository by the build, never into
 * the shared ~/.m2; the consumer's local repository is a temporary one holding those and links to
 * the shared one's other entries (Maven's plugins and third-party jars), so that {@code mvn -o}
 * finds everything.
 */
class ConsumerIT {

  private static final Path installed = Path.of(System.getProperty("it.repository"));
  private static final Path shared = Path.of(System.getProperty("it.shared.repository"));
  private static final Path root = Path.of(System.getProperty("planet.root"));
  private static final String version = System.getProperty("planet.dist.version");

  @TempDir static Path dir;
  private static Path repository;
  private static String classpath;

  @BeforeAll
  static void seedARepositoryOfItsOwn() throws IOException {
    repository = Files.createDirectories(dir.resolve("repository"));
    try (Stream<Path> entries = Files.list(shared)) {
      for (Path entry : entries.toList()) {
        if (!entry.getFileName().toString().equals("io")) {
          Files.createSymbolicLink(repository.resolve(entry.getFileName()), entry);
        }
      }
    }
    Path io = Files.createDirectories(repository.resolve("io"));
    try (Stream<Path> entries = Files.list(shared.resolve("io"))) {
      for (Path entry : entries.toList()) {
        if (!entry.getFileName().toString().equals("planetexporter")) {
          Files.createSymbolicLink(io.resolve(entry.getFileName()), entry);
        }
      }
    }
    copyTree(installed.resolve("io/planetexporter"), io.resolve("planetexporter"));
  }

  @AfterAll
  static void removeLinks() throws IOException {
    // Delete the links themselves, never what they point to.
    if (repository != null) {
      try (Stream<Path> paths = Files.walk(repository)) {
        for (Path path : paths.filter(Files::isSymbolicLink).toList()) {
          Files.delete(path);
        }
      }
    }
  }

  /** Builds the consumer project offline (once); returns its runtime classpath. */
  private static synchronized String consumerClasspath() throws Exception {
    if (classpath != null) {
      return classpath;
    }
    Path project = dir.resolve("consumer");
    copyTree(fixtures().resolve("consumer"), project);
    Path pom = project.resolve("pom.xml");
    Files.writeString(pom, Files.readString(pom).replace("@planet.version@", version));
    String build =
        run(
            project,
            "mvn",
            "-o",
            "-B",
            "-q",
            "-Dmaven.repo.local=" + repository,
            "compile",
            "dependency:build-classpath",
            "-Dmdep.outputFile=classpath.txt");
    String built =
        project.resolve("target/classes")
            + ":"
            + Files.readString(project.resolve("classpath.txt"));
    assertThat(built)
        .as(build)
        .contains(
            "planet-task-inventory-" + version + ".jar",
            "planet-task-socketstat-" + version + ".jar");
    classpath = built;
    return classpath;
  }

  @Test
  void buildsOfflineAgainstTheArtifactsAndLooksUpAnAddress() throws Exception {
    Path inventory =
        Files.writeString(
            dir.resolve("inventory.json"),
            "[{\"ip_address\": \"10.1.0.0/16\", \"domain\": \"\", \"hostgroup\": \"db\"},"
                + " {\"ip_address\": \"10.1.2.3\", \"domain\": \"db1.example\","
                + " \"hostgroup\": \"db\"}]");

    String output =
        runConsumer("Lookup", inventory.toString(), "10.1.2.3", "::ffff:10.1.9.9", "2001:DB8:0::1");

    assertThat(output).isEqualTo("10.1.2.3 db1.example db\n10.1.9.9  db\n2001:db8::1 ? ?\n");
  }

  @Test
  void buildsOfflineAgainstTheArtifactsAndReadsTheConnectionsItOpened() throws Exception {
    String output = runConsumer("Connections");

    // Its own listener, and both ends of its connection with the payload bytes netlink counted
    // (the library's log lines on stderr aside).
    assertThat(
            output
                .lines()
                .filter(line -> line.matches("(listener|upstream|downstream) .*"))
                .map(line -> line + "\n")
                .collect(Collectors.joining()))
        .as(output)
        .isEqualTo(
            """
            listener 127.0.0.1:PORT tcp java
            upstream localhost PORT tcp java sent 1000 received 2000
            downstream localhost PORT tcp java sent 2000 received 1000
            """);
  }

  @Test
  void everyInstalledJarComesWithItsSourcesAndJavadoc() throws IOException {
    for (String module :
        List.of(
            "planet-api",
            "planet-net",
            "planet-tls",
            "planet-fetch",
            "planet-textformat",
            "planet-traffic",
            "planet-task-inventory",
            "planet-task-socketstat")) {
      Path directory = installed.resolve("io/planetexporter/" + module + "/" + version);
      assertThat(directory)
          .isDirectoryContaining("glob:**/" + module + "-" + version + ".jar")
          .isDirectoryContaining("glob:**/" + module + "-" + version + "-sources.jar")
          .isDirectoryContaining("glob:**/" + module + "-" + version + "-javadoc.jar")
          .isDirectoryContaining("glob:**/" + module + "-" + version + ".pom");
    }
  }

  @Test
  void theBomPinsEveryPublishedLibraryAtTheParentsVersion() throws IOException {
    String bom = Files.readString(root.resolve("planet-bom/pom.xml"));
    String parent = Files.readString(root.resolve("pom.xml"));

    Set<String> libraries = new TreeSet<>(matches(parent, "<module>([^<]+)</module>"));
    libraries.removeAll(
        Set.of("planet-bom", "planet-dist", "planet-benchmarks", "planet-test-fixtures"));
    assertThat(new TreeSet<>(matches(bom, "<artifactId>([^<]+)</artifactId>")))
        .containsAll(libraries);
    assertThat(matches(bom, "<version>([^<]+)</version>").get(0)).isEqualTo(version);
  }

  @Test
  void everyPomCarriesWhatMavenCentralRequires() throws IOException {
    String parent = Files.readString(root.resolve("pom.xml"));
    String bom = Files.readString(root.resolve("planet-bom/pom.xml"));
    for (String pom : List.of(parent, bom)) {
      assertThat(pom).contains("<url>", "<licenses>", "<developers>", "<scm", "<description>");
    }
    for (String module : matches(parent, "<module>([^<]+)</module>")) {
      assertThat(Files.readString(root.resolve(module + "/pom.xml")))
          .as(module)
          .contains("<description>", "<name>");
    }
  }

  private static List<String> matches(String text, String regex) {
    List<String> found = new ArrayList<>();
    Matcher matcher = Pattern.compile(regex).matcher(text);
    while (matcher.find()) {
      found.add(matcher.group(1));
    }
    return found;
  }

  /** Runs a main class of the consumer project; returns its output (stdout and stderr). */
  private static String runConsumer(String mainClass, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(consumerClasspath());
    command.add("com.example.consumer." + mainClass);
    command.addAll(List.of(args));
    return run(dir, command.toArray(String[]::new));
  }

  /** Runs the command in the directory; returns its output, failing on a non-zero exit. */
  private static String run(Path directory, String... command) throws Exception {
    Process process =
        new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), UTF_8);
    assertThat(process.waitFor(5, TimeUnit.MINUTES)).as("%s timed out", command[0]).isTrue();
    assertThat(process.exitValue()).as("%s: %s", String.join(" ", command), output).isZero();
    return output;
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path path : paths.toList()) {
        Path target = to.resolve(from.relativize(path).toString());
        if (Files.isDirectory(path)) {
          Files.createDirectories(target);
        } else {
          Files.copy(path, target);
        }
      }
    }
  }

  private static Path fixtures() {
    try {
      return Path.of(ConsumerIT.class.getResource("ConsumerIT").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
