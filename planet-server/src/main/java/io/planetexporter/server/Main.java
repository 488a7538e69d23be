package io.planetexporter.server;

import io.planetexporter.api.ConfigurationException;
import io.planetexporter.collector.ProviderLoader;
import io.planetexporter.collector.TaskProviders;
import io.planetexporter.web.Logging;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The program: {@code java -cp 'lib/*' io.planetexporter.server.Main [flags]}.
 *
 * <p>Exit status: 0 after {@code -h}, {@code -version} or a SIGTERM/SIGINT; 2 on bad configuration
 * (one line on stderr, nothing started); 1 when the listen address cannot be bound.
 */
public final class Main {

  private static final Logger logger = Logger.getLogger(Main.class.getName());

  private Main() {}

  public static void main(String[] args) {
    // Registered before anything starts, so a SIGTERM that arrives while the exporter is starting
    // (right after "listening", say) still ends with status 0 and closes what was started.
    AtomicReference<Exporter> running = new AtomicReference<>();
    AtomicBoolean exitingByStatus = new AtomicBoolean();
    Runtime.getRuntime()
        .addShutdownHook(new Thread(() -> stopBySignal(running, exitingByStatus), "shutdown"));
    Exporter exporter;
    try {
      exporter =
          start(
              List.of(args),
              System.getenv(),
              ProviderLoader.serviceLoader(Main.class.getClassLoader()),
              System.out,
              System.err);
    } catch (ConfigurationException e) {
      System.err.println(oneLine(e.getMessage()));
      exit(exitingByStatus, 2);
      return;
    } catch (IOException e) {
      logger.log(Level.SEVERE, "cannot serve HTTP", e);
      exit(exitingByStatus, 1);
      return;
    }
    if (exporter == null) {
      exit(exitingByStatus, 0);
      return;
    }
    running.set(exporter);
  }

  private static void exit(AtomicBoolean exitingByStatus, int status) {
    exitingByStatus.set(true);
    System.exit(status);
  }

  /** The shutdown hook: after SIGTERM or SIGINT, stops what runs and exits 0. */
  private static void stopBySignal(AtomicReference<Exporter> running, AtomicBoolean byStatus) {
    if (byStatus.get()) {
      return; // System.exit from main: keep its status.
    }
    Logging.logDirect(logger, Level.INFO, "stopping");
    Exporter exporter = running.get();
    if (exporter != null) {
      exporter.close();
    }
    Logging.logDirect(logger, Level.INFO, "stopped");
    System.err.flush();
    // A stop by SIGTERM or SIGINT is the normal end, not the JVM's 143 or 130.
    Runtime.getRuntime().halt(0);
  }

  /**
   * Reads the configuration and starts the exporter.
   *
   * @return the running exporter, or null when the arguments only asked for help or the version
   *     (which are printed to stdout)
   */
  static Exporter start(
      List<String> args,
      Map<String, String> env,
      ProviderLoader loader,
      PrintStream stdout,
      PrintStream stderr)
      throws ConfigurationException, IOException {
    Invocation invocation = CommandLine.parse(args, env, TaskProviders.discover(loader));
    BuildInfo build = BuildInfo.load();
    if (invocation instanceof Invocation.Help help) {
      stdout.print(help.text());
      stdout.flush();
      return null;
    }
    if (invocation instanceof Invocation.Version) {
      stdout.print(build.versionText());
      stdout.flush();
      return null;
    }
    Settings settings = ((Invocation.Run) invocation).settings();
    Logging.configure(settings.log(), stderr, stderrIsTerminal());
    return Exporter.start(settings, build, Clock.systemUTC());
  }

  /** Whether fd 2 is a terminal, as Linux tells through /proc; else whether the JVM has one. */
  private static boolean stderrIsTerminal() {
    try {
      String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
      return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
    } catch (IOException | UnsupportedOperationException e) {
      return System.console() != null;
    }
  }

  private static String oneLine(String message) {
    String text = message == null ? "configuration error" : message;
    return "planet-exporter: " + text.replace('\n', ' ').replace('\r', ' ');
  }
}
