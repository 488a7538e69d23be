package io.planetexporter.fetch;

import java.net.URI;
import java.util.regex.Pattern;

/**
 * Source addresses as they may be shown in a log line, an error message or the landing page: the
 * password of the userinfo and every query-string value replaced by {@code ***}.
 *
 * <pre>{@code
 * Redaction.uri(URI.create("http://user:pw@host/inv?token=abc")) // "http://user:***@host/inv?token=***"
 * }</pre>
 */
public final class Redaction {

  private static final String HIDDEN = "***";
  private static final Pattern USERINFO = Pattern.compile("(//)([^/@]*)@");
  private static final Pattern QUERY = Pattern.compile("\\?\\S*");

  private Redaction() {}

  /** The URI with its secrets replaced; a {@code file:} URI has none and is unchanged. */
  public static String uri(URI uri) {
    if (uri.isOpaque() || uri.getRawAuthority() == null) {
      return uri.getRawQuery() == null ? uri.toString() : text(uri.toString());
    }
    StringBuilder text = new StringBuilder();
    text.append(uri.getScheme()).append("://");
    String userInfo = uri.getRawUserInfo();
    if (userInfo != null) {
      int colon = userInfo.indexOf(':');
      // A user without a password may itself be a token (https://token@host/): hide it all.
      text.append(colon < 0 ? HIDDEN : userInfo.substring(0, colon) + ":" + HIDDEN).append('@');
    }
    text.append(uri.getRawAuthority().substring(userInfo == null ? 0 : userInfo.length() + 1));
    text.append(uri.getRawPath() == null ? "" : uri.getRawPath());
    if (uri.getRawQuery() != null) {
      text.append('?').append(query(uri.getRawQuery()));
    }
    return text.toString();
  }

  /** Free text that may hold an address, e.g. one that did not parse: userinfo and query hidden. */
  public static String text(String text) {
    String noUser = USERINFO.matcher(text).replaceAll("$1" + HIDDEN + "@");
    return QUERY.matcher(noUser).replaceAll("?" + HIDDEN);
  }

  private static String query(String query) {
    StringBuilder text = new StringBuilder();
    for (String pair : query.split("&", -1)) {
      if (text.length() > 0) {
        text.append('&');
      }
      int equals = pair.indexOf('=');
      text.append(equals < 0 ? HIDDEN : pair.substring(0, equals + 1) + HIDDEN);
    }
    return text.toString();
  }
}
