package io.planetexporter.fetch;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * How {@link BoundedFetcher} proves who it is and where it may follow redirects. The password and
 * token files are read at each fetch, so a rotated secret is used without a restart. A user and
 * password in the URL ({@code http://user:pass@host/}) are sent as basic auth too.
 *
 * @param username basic-auth user, with {@code passwordFile}
 * @param passwordFile file holding the basic-auth password (trailing newline ignored)
 * @param bearerTokenFile file holding a bearer token (trailing newline ignored)
 * @param tls the TLS context for https (a CA and a client certificate), empty for the JVM's
 * @param crossOriginRedirects whether a redirect may go to another scheme, host or port (the
 *     credentials are then not sent there)
 */
public record FetchAuth(
    Optional<String> username,
    Optional<Path> passwordFile,
    Optional<Path> bearerTokenFile,
    Optional<SSLContext> tls,
    boolean crossOriginRedirects) {

  /** No credentials but those in the URL, the JVM's trust store, same-origin redirects only. */
  public static final FetchAuth NONE =
      new FetchAuth(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), false);

  public FetchAuth {
    requireNonNull(username, "username");
    requireNonNull(passwordFile, "passwordFile");
    requireNonNull(bearerTokenFile, "bearerTokenFile");
    requireNonNull(tls, "tls");
    if (username.isPresent() != passwordFile.isPresent()) {
      throw new IllegalArgumentException("a basic-auth user needs a password file and back");
    }
    if (username.isPresent() && bearerTokenFile.isPresent()) {
      throw new IllegalArgumentException("basic auth and a bearer token exclude each other");
    }
  }
}
