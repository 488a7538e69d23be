package io.planetexporter.fetch;

import io.planetexporter.api.ConfigurationException;
import io.planetexporter.api.OptionType;
import io.planetexporter.api.TaskConfig;
import io.planetexporter.api.TaskContext;
import io.planetexporter.api.TaskOption;
import io.planetexporter.tls.ClientTls;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The options every task that fetches a document shares, declared once: {@code addr}, {@code
 * fetch-timeout}, {@code max-body-size}, and the credentials, TLS and redirect policy of {@link
 * FetchAuth}.
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
  public static final String BASIC_AUTH_USERNAME = "basic-auth-username";
  public static final String BASIC_AUTH_PASSWORD_FILE = "basic-auth-password-file";
  public static final String BEARER_TOKEN_FILE = "bearer-token-file";
  public static final String TLS_CA_FILE = "tls-ca-file";
  public static final String TLS_CERT_FILE = "tls-cert-file";
  public static final String TLS_KEY_FILE = "tls-key-file";

  private static final ClientTls.Names TLS_NAMES =
      new ClientTls.Names(TLS_CA_FILE, TLS_CERT_FILE, TLS_KEY_FILE, "the fetch");
  public static final String CROSS_ORIGIN_REDIRECTS = "allow-cross-origin-redirects";

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
                }),
        TaskOption.of(
            BASIC_AUTH_USERNAME,
            OptionType.STRING,
            "",
            "Basic-auth user, with "
                + BASIC_AUTH_PASSWORD_FILE
                + " (a user:password in the URL is sent as basic auth too)."),
        TaskOption.of(
            BASIC_AUTH_PASSWORD_FILE,
            OptionType.STRING,
            "",
            "File holding the basic-auth password, read at each fetch."),
        TaskOption.of(
            BEARER_TOKEN_FILE,
            OptionType.STRING,
            "",
            "File holding a bearer token sent as Authorization, read at each fetch."),
        TaskOption.of(
            TLS_CA_FILE,
            OptionType.STRING,
            "",
            "PEM file of the CA(s) to trust for https instead of the JVM's trust store."),
        TaskOption.of(
            TLS_CERT_FILE,
            OptionType.STRING,
            "",
            "PEM client certificate for https (mTLS), with " + TLS_KEY_FILE + "."),
        TaskOption.of(
            TLS_KEY_FILE, OptionType.STRING, "", "PEM private key of " + TLS_CERT_FILE + "."),
        TaskOption.of(
            CROSS_ORIGIN_REDIRECTS,
            OptionType.BOOLEAN,
            "false",
            "Follow redirects to another scheme, host or port (without the credentials)."));
  }

  /** The fetcher the options describe (their validators have checked timeout and size). */
  public static BoundedFetcher fetcher(TaskConfig config) throws ConfigurationException {
    return new BoundedFetcher(
        config.duration(FETCH_TIMEOUT), config.bytes(MAX_BODY_SIZE), auth(config));
  }

  /** The task's account in the process's {@link MemoryBudget}, named after the task. */
  public static MemoryBudget.Account account(TaskContext context) {
    return MemoryBudget.heap().account("task " + context.taskName());
  }

  private static FetchAuth auth(TaskConfig config) throws ConfigurationException {
    Optional<String> user = nonEmpty(config.string(BASIC_AUTH_USERNAME));
    Optional<Path> password = nonEmpty(config.string(BASIC_AUTH_PASSWORD_FILE)).map(Path::of);
    Optional<Path> token = nonEmpty(config.string(BEARER_TOKEN_FILE)).map(Path::of);
    if (user.isPresent() != password.isPresent()) {
      throw ConfigurationException.forOption(
          user.isPresent() ? BASIC_AUTH_PASSWORD_FILE : BASIC_AUTH_USERNAME,
          "give " + BASIC_AUTH_USERNAME + " and " + BASIC_AUTH_PASSWORD_FILE + " both or neither");
    }
    if (user.isPresent() && token.isPresent()) {
      throw ConfigurationException.forOption(
          BEARER_TOKEN_FILE, "give basic auth or a bearer token, not both");
    }
    for (Path file : List.of(password, token).stream().flatMap(Optional::stream).toList()) {
      if (!Files.isReadable(file)) {
        throw ConfigurationException.forOption(
            file.equals(token.orElse(null)) ? BEARER_TOKEN_FILE : BASIC_AUTH_PASSWORD_FILE,
            "cannot read " + file);
      }
    }
    return new FetchAuth(
        user,
        password,
        token,
        ClientTls.context(
            nonEmpty(config.string(TLS_CA_FILE)).map(Path::of),
            nonEmpty(config.string(TLS_CERT_FILE)).map(Path::of),
            nonEmpty(config.string(TLS_KEY_FILE)).map(Path::of),
            TLS_NAMES),
        config.bool(CROSS_ORIGIN_REDIRECTS));
  }

  private static Optional<String> nonEmpty(String text) {
    return text.isBlank() ? Optional.empty() : Optional.of(text.trim());
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
            throw ConfigurationException.forOption(
                ADDR, "no host in \"" + Redaction.text(text) + "\"");
          }
          return uri;
        case "file":
          return Path.of(new URI(text)).toUri();
        case "":
          return Path.of(text).toAbsolutePath().toUri();
        default:
          throw ConfigurationException.forOption(
              ADDR,
              "unsupported scheme in \""
                  + Redaction.text(text)
                  + "\" (want http, https, file or a path)");
      }
    } catch (URISyntaxException | IllegalArgumentException e) {
      throw ConfigurationException.forOption(
          ADDR,
          "invalid address \""
              + Redaction.text(text)
              + "\": "
              + Redaction.text(String.valueOf(e.getMessage())),
          e);
    }
  }
}
