package io.planetexporter.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;

/** Lets a request through only with the basic-auth credentials of a configured user; else 401. */
final class BasicAuth implements Endpoint {

  private static final WebResponse UNAUTHORIZED =
      WebResponse.text(401, "Unauthorized\n")
          .with("WWW-Authenticate", "Basic realm=\"planet-exporter\", charset=\"UTF-8\"");

  private final BasicAuthUsers users;
  private final Endpoint next;

  BasicAuth(BasicAuthUsers users, Endpoint next) {
    this.users = users;
    this.next = next;
  }

  @Override
  public WebResponse answer(WebRequest request) throws IOException {
    return authenticated(request.header("Authorization").orElse(null))
        ? next.answer(request)
        : UNAUTHORIZED;
  }

  private boolean authenticated(String header) {
    if (header == null || !header.toLowerCase(Locale.ROOT).startsWith("basic ")) {
      return false;
    }
    String decoded;
    try {
      decoded =
          new String(
              Base64.getDecoder().decode(header.substring("basic ".length()).trim()),
              StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return false;
    }
    int colon = decoded.indexOf(':');
    return colon >= 0 && users.check(decoded.substring(0, colon), decoded.substring(colon + 1));
  }
}
