package io.planetexporter.task.support;

import io.planetexporter.api.ConfigurationException;
import io.planetexporter.api.OptionType;
import io.planetexporter.api.TaskConfig;
import io.planetexporter.api.TaskContext;
import io.planetexporter.api.TaskOption;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The options every task that fetches a document shares, declared once: {@code addr}, {@code
 * fetch-timeout} and {@code max-body-size}.
 *
 * <pre>{@code
 * public List<TaskOption> options() {
 *   List<TaskOption> options = new ArrayList<>();
 *   options.add(TaskOption.required("addr", "URL of darkstat's /metrics page"));
 *   options.addAll(FetchOptions.options("10s"));
 *   return options;
 * }
 *
 * public Task create(TaskContext context) throws ConfigurationException {
 *   return new DarkstatTask(
 *       FetchOptions.address(context), FetchOptions.fetcher(context.config()), context);
 * }
 * }</pre>
 */
public final class FetchOptions {

  public static final String ADDR = "addr";
  public static final String FETCH_TIMEOUT = "fetch-timeout";
  public static final String MAX_BODY_SIZE = "max-body-size";

  // Arrays of Java are indexed by int; leave room for the array header.
  private static final long MAX_BODY_LIMIT = Integer.MAX_VALUE - 8;

  private static final Pattern SCHEME = Pattern.compile("([a-zA-Z][a-zA-Z0-9+.-]+):");

  private FetchOptions() {}

  /**
   * {@code fetch-timeout} (the deadline of a whole fetch, body included) and {@code max-body-size}
   * (64MiB by default).
   *
   * @param defaultTimeout the task's default deadline in Go syntax, e.g. {@code 30s}
   */
  public static List<TaskOption> options(String defaultTimeout) {
    return List.of(
        TaskOption.of(
                FETCH_TIMEOUT,
                OptionType.DURATION,
                defaultTimeout,
                "Deadline of one whole fetch, from connecting to the last byte of the body.")
            .validatedBy(
                value -> {
                  if (((Duration) value).isZero()) {
                    throw new IllegalArgumentException("must be positive, got 0s");
                  }
                }),
        TaskOption.of(
                MAX_BODY_SIZE,
                OptionType.BYTES,
                "64MiB",
                "Largest document accepted, after gzip decoding; a larger one fails the run.")
            .validatedBy(
                value -> {
                  long bytes = (Long) value;
                  if (bytes <= 0 || bytes > MAX_BODY_LIMIT) {
                    throw new IllegalArgumentException(
                        "must be between 1 and 2GiB, got " + bytes + " bytes");
                  }
                }));
  }

  /** The fetcher the two options describe (their validators have checked their values). */
  public static BoundedFetcher fetcher(TaskConfig config) {
    return new BoundedFetcher(config.duration(FETCH_TIMEOUT), config.bytes(MAX_BODY_SIZE));
  }

  /**
   * The {@code addr} option as a URI {@link BoundedFetcher} can fetch: an {@code http(s)} URL with
   * a host, a {@code file:} URL, or a plain file path (made absolute).
   *
   * @throws ConfigurationException tied to {@code addr} when the text is none of these
   */
  public static URI address(TaskContext context) throws ConfigurationException {
    String text = context.config().string(ADDR).trim();
    if (text.isEmpty()) {
      throw ConfigurationException.forOption(ADDR, "required");
    }
    Matcher schemeMatch = SCHEME.matcher(text);
    String scheme = schemeMatch.lookingAt() ? schemeMatch.group(1).toLowerCase(Locale.ROOT) : "";
    try {
      switch (scheme) {
        case "http":
        case "https":
          URI uri = new URI(text);
          if (uri.getHost() == null) {
            throw ConfigurationException.forOption(ADDR, "no host in \"" + text + "\"");
          }
          return uri;
        case "file":
          return Path.of(new URI(text)).toUri();
        case "":
          return Path.of(text).toAbsolutePath().toUri();
        default:
          throw ConfigurationException.forOption(
              ADDR, "unsupported scheme in \"" + text + "\" (want http, https, file or a path)");
      }
    } catch (URISyntaxException | IllegalArgumentException e) {
      throw ConfigurationException.forOption(
          ADDR, "invalid address \"" + text + "\": " + e.getMessage(), e);
    }
  }
}
