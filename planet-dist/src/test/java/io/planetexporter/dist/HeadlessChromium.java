package io.planetexporter.dist;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Debian's headless Chromium driven over the DevTools protocol (a WebSocket on a loopback port), so
 * that a test can run script in the page, click into it, and learn of every JavaScript dialog
 * ({@code alert(1)}: each is dismissed and recorded) and uncaught exception.
 */
final class HeadlessChromium implements AutoCloseable {

  static final Path BINARY = Path.of("/usr/bin/chromium");
  private static final Duration PATIENCE = Duration.ofSeconds(30);
  private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://\\S+)");
  private static final ObjectMapper json = new ObjectMapper();

  private final Process process;
  private final Path log;
  private final WebSocket socket;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
  private final List<String> dialogs = new CopyOnWriteArrayList<>();
  private final List<String> exceptions = new CopyOnWriteArrayList<>();
  private volatile CompletableFuture<Void> loaded = new CompletableFuture<>();

  private HeadlessChromium(Process process, Path log, URI page) {
    this.process = process;
    this.log = log;
    this.socket =
        HttpClient.newHttpClient()
            .newWebSocketBuilder()
            .buildAsync(page, new Listener())
            .orTimeout(PATIENCE.toSeconds(), TimeUnit.SECONDS)
            .join();
  }

  /** Skips the test, saying why, where Debian's chromium is not installed. */
  static void assumeInstalled() {
    assumeTrue(Files.isExecutable(BINARY), "needs Debian's chromium (apt-get install chromium)");
  }

  /** Starts Chromium with its profile in {@code dir} (which the caller deletes) on a blank page. */
  static HeadlessChromium start(Path dir) throws IOException, InterruptedException {
    Path log = dir.resolve("chromium.log");
    List<String> command = new ArrayList<>(command(dir.resolve("profile")));
    command.addAll(
        List.of(
            "--window-size=1000,760",
            "--remote-debugging-address=127.0.0.1",
            "--remote-debugging-port=0",
            "about:blank"));
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      URI browser = awaitListening(process, log);
      URI page = pageOf(browser);
      HeadlessChromium chromium = new HeadlessChromium(process, log, page);
      chromium.call("Page.enable", json.createObjectNode());
      chromium.call("Runtime.enable", json.createObjectNode());
      return chromium;
    } catch (RuntimeException | IOException | InterruptedException e) {
      process.destroyForcibly().waitFor();
      throw e;
    }
  }

  /**
   * Headless Chromium with its profile in {@code profile}, to which a test adds what to do. No name
   * resolves but loopback's, and background services are off, so the browser talks to the page's
   * server only.
   */
  static List<String> command(Path profile) {
    return List.of(
        BINARY.toString(),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-default-apps",
        "--disable-extensions",
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
        "--user-data-dir=" + profile);
  }

  private static URI awaitListening(Process process, Path log)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (System.nanoTime() < deadline && process.isAlive()) {
      Matcher listening = LISTENING.matcher(Files.readString(log));
      if (listening.find()) {
        return URI.create(listening.group(1));
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException(
        "chromium did not open its DevTools port within "
            + PATIENCE
            + ":\n"
            + Files.readString(log));
  }

  /** The DevTools socket of the browser's first tab, from its {@code /json/list}. */
  private static URI pageOf(URI browser) throws IOException, InterruptedException {
    URI list = URI.create("http://" + browser.getAuthority() + "/json/list");
    String body =
        HttpClient.newHttpClient()
            .send(HttpRequest.newBuilder(list).timeout(PATIENCE).build(), BodyHandlers.ofString())
            .body();
    for (JsonNode target : json.readTree(body)) {
      if (target.path("type").asText().equals("page")) {
        return URI.create(target.path("webSocketDebuggerUrl").asText());
      }
    }
    throw new IllegalStateException("no page among chromium's targets: " + body);
  }

  /** Opens {@code url} and returns once its load event fired. */
  void navigate(URI url) {
    loaded = new CompletableFuture<>();
    ObjectNode params = json.createObjectNode().put("url", url.toString());
    JsonNode answer = call("Page.navigate", params);
    if (answer.has("errorText")) {
      throw new IllegalStateException("cannot open " + url + ": " + answer);
    }
    await(loaded, "the load event of " + url);
  }

  /** The value of a JavaScript expression in the page (awaited when it is a promise). */
  JsonNode evaluate(String expression) {
    ObjectNode params =
        json.createObjectNode()
            .put("expression", expression)
            .put("returnByValue", true)
            .put("awaitPromise", true);
    JsonNode answer = call("Runtime.evaluate", params);
    if (answer.has("exceptionDetails")) {
      throw new IllegalStateException(expression + " threw: " + answer.path("exceptionDetails"));
    }
    return answer.path("result").path("value");
  }

  /** Evaluates {@code expression} until it is {@code true}, or fails after {@code timeout}. */
  void awaitTrue(String expression, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!evaluate(expression).asBoolean(false)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            expression + " not true within " + timeout + "; uncaught: " + exceptions);
      }
      Thread.sleep(100);
    }
  }

  /** A left click at {@code (x, y)} CSS pixels of the viewport, pressed and released. */
  void click(double x, double y) {
    for (String type : List.of("mousePressed", "mouseReleased")) {
      call(
          "Input.dispatchMouseEvent",
          json.createObjectNode()
              .put("type", type)
              .put("x", x)
              .put("y", y)
              .put("button", "left")
              .put("clickCount", 1));
    }
  }

  /** The {@code property} of each element {@code selector} finds, in document order. */
  List<String> texts(String selector, String property) throws IOException {
    String expression =
        "JSON.stringify(Array.from(document.querySelectorAll(%s), e => e.%s))"
            .formatted(json.writeValueAsString(selector), property);
    List<String> texts = new ArrayList<>();
    json.readTree(evaluate(expression).asText()).forEach(t -> texts.add(t.asText()));
    return texts;
  }

  /** Writes what the viewport shows as a PNG image (DevTools {@code Page.captureScreenshot}). */
  void screenshot(Path file) throws IOException {
    JsonNode shot = call("Page.captureScreenshot", json.createObjectNode().put("format", "png"));
    Files.write(file, Base64.getDecoder().decode(shot.path("data").asText()));
  }

  /**
   * Where the canvas {@code selector} shows the colour {@code rgb} (exact, opaque), in viewport CSS
   * pixels: the middle of all its pixels when {@code middle} (one shape of that colour), else a
   * point 3 pixels into the first one (of many shapes of that colour, whichever comes first); empty
   * when none has it.
   */
  Optional<double[]> pixel(String selector, int rgb, boolean middle) throws IOException {
    String find =
        """
        (() => {
          const canvas = document.querySelector(%s);
          const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
          let n = 0, x = 0, y = 0;
          for (let i = 0; i < pixels.length && (%b || n === 0); i += 4) {
            if (pixels[i] === %d && pixels[i + 1] === %d && pixels[i + 2] === %d
                && pixels[i + 3] === 255) {
              n++; x += (i / 4) %% canvas.width; y += Math.floor(i / 4 / canvas.width);
            }
          }
          const box = canvas.getBoundingClientRect();
          const scale = box.width / canvas.width;
          const inside = %b ? 0 : 3;
          return n === 0 ? null : [box.left + (x / n + inside) * scale, box.top + (y / n + inside) * scale];
        })()"""
            .formatted(
                json.writeValueAsString(selector),
                middle,
                rgb >> 16 & 0xff,
                rgb >> 8 & 0xff,
                rgb & 0xff,
                middle);
    JsonNode found = evaluate(find);
    return found.isArray()
        ? Optional.of(new double[] {found.get(0).asDouble(), found.get(1).asDouble()})
        : Optional.empty();
  }

  /** The messages of the JavaScript dialogs ({@code alert}, {@code confirm}...) opened so far. */
  List<String> dialogs() {
    return List.copyOf(dialogs);
  }

  /** The uncaught exceptions of the page's scripts so far. */
  List<String> exceptions() {
    return List.copyOf(exceptions);
  }

  private JsonNode call(String method, ObjectNode params) {
    int id = ids.incrementAndGet();
    CompletableFuture<JsonNode> answer = new CompletableFuture<>();
    pending.put(id, answer);
    String message =
        json.createObjectNode()
            .put("id", id)
            .put("method", method)
            .set("params", params)
            .toString();
    synchronized (socket) {
      // One message at a time: the WebSocket refuses a send while another is under way.
      await(socket.sendText(message, true).toCompletableFuture(), "sending " + method);
    }
    JsonNode result = await(answer, method);
    if (result.has("error")) {
      throw new IllegalStateException(method + " failed: " + result.path("error"));
    }
    return result.path("result");
  }

  private <T> T await(CompletableFuture<T> future, String what) {
    try {
      return future.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new IllegalStateException(what + ": no answer within " + PATIENCE + log(), e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(what + log(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted: " + what, e);
    }
  }

  private String log() {
    try {
      return "; chromium log:\n" + Files.readString(log, UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Answers go to their callers; events are recorded; a dialog is dismissed, or the page hangs. */
  private final class Listener implements WebSocket.Listener {

    private final StringBuilder message = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      message.append(data);
      if (last) {
        receive(message.toString());
        message.setLength(0);
      }
      webSocket.request(1);
      return null;
    }

    private void receive(String text) {
      JsonNode received;
      try {
        received = json.readTree(text);
      } catch (IOException e) {
        throw new UncheckedIOException("not JSON from DevTools: " + text, e);
      }
      if (received.has("id")) {
        CompletableFuture<JsonNode> answer = pending.remove(received.path("id").asInt());
        if (answer != null) {
          answer.complete(received);
        }
        return;
      }
      JsonNode params = received.path("params");
      switch (received.path("method").asText()) {
        case "Page.loadEventFired" -> loaded.complete(null);
        case "Runtime.exceptionThrown" ->
            exceptions.add(
                params
                    .path("exceptionDetails")
                    .path("exception")
                    .path("description")
                    .asText(params.path("exceptionDetails").path("text").asText()));
        case "Page.javascriptDialogOpening" -> {
          dialogs.add(params.path("message").asText());
          // Not from this thread: its answer arrives here.
          CompletableFuture.runAsync(
              () ->
                  call(
                      "Page.handleJavaScriptDialog", json.createObjectNode().put("accept", false)));
        }
        default -> {
          // Other events (frames, execution contexts) say nothing a test asks.
        }
      }
    }
  }

  @Override
  public void close() {
    socket.abort();
    // Its zygotes and renderers too, before the caller deletes the profile they write to; known
    // now, since they leave the browser's tree once it has exited.
    List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
    all.add(process.toHandle());
    process.destroy();
    for (ProcessHandle each : all) {
      try {
        each.onExit().get(10, TimeUnit.SECONDS);
      } catch (TimeoutException | ExecutionException e) {
        each.destroyForcibly();
        each.onExit().join();
      } catch (InterruptedException e) {
        each.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }
}
