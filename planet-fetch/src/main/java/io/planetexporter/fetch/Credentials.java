package io.planetexporter.fetch;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Optional;

/**
 * What {@link BoundedFetcher} sends as {@code Authorization}, and to which origin; planet-map's
 * Prometheus client sends the same.
 */
public final class Credentials {

  private Credentials() {}

  /**
   * The Authorization header: the bearer token file's, else the password file's with the user, else
   * the URL's user and password; read now, so a rotated file is used at once.
   */
  public static Optional<String> authorization(FetchAuth auth, URI uri) throws FetchException {
    if (auth.bearerTokenFile().isPresent()) {
      return Optional.of("Bearer " + secret(auth.bearerTokenFile().get(), "bearer token"));
    }
    if (auth.username().isPresent()) {
      return Optional.of(
          basic(auth.username().get(), secret(auth.passwordFile().orElseThrow(), "password")));
    }
    String userInfo = uri.getRawUserInfo();
    if (userInfo == null) {
      return Optional.empty();
    }
    int colon = userInfo.indexOf(':');
    String user = colon < 0 ? userInfo : userInfo.substring(0, colon);
    String password = colon < 0 ? "" : userInfo.substring(colon + 1);
    return Optional.of(basic(decode(user), decode(password)));
  }

  private static String basic(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  private static String decode(String raw) {
    return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  private static String secret(Path file, String what) throws FetchException {
    try {
      return Files.readString(file).strip();
    } catch (IOException e) {
      // The message names the file, never its content.
      throw new FetchException(
          "cannot read the " + what + " file " + file + ": " + BoundedFetcher.describe(e));
    }
  }

  /** The URI without {@code user:password@}, to send it without the secret in the request line. */
  public static URI withoutUserInfo(URI uri) {
    if (uri.getRawUserInfo() == null) {
      return uri;
    }
    try {
      return new URI(
          uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), uri.getQuery(), null);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("cannot drop the userinfo of the address", e);
    }
  }

  static boolean sameOrigin(URI a, URI b) {
    return String.valueOf(a.getScheme()).equalsIgnoreCase(String.valueOf(b.getScheme()))
        && String.valueOf(a.getHost()).equalsIgnoreCase(String.valueOf(b.getHost()))
        && port(a) == port(b);
  }

  private static int port(URI uri) {
    if (uri.getPort() >= 0) {
      return uri.getPort();
    }
    return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
  }
}
