package io.planetexporter.web;

import static java.util.Objects.requireNonNull;

import io.planetexporter.api.ConfigurationException;

/**
 * The {@code -listen-address} of either program: {@code host:port}, IPv6 in brackets, an empty host
 * for every interface, port 0 for a free one.
 *
 * @param host without brackets; empty for every interface
 * @param port 0 to 65535
 */
public record ListenAddress(String host, int port) {

  public ListenAddress {
    requireNonNull(host, "host");
  }

  /**
   * Reads the option's text.
   *
   * @throws ConfigurationException naming where the value came from when it is not host:port
   */
  public static ListenAddress parse(OptionValue value) throws ConfigurationException {
    String text = value.text();
    int colon = text.lastIndexOf(':');
    if (colon < 0) {
      throw new ConfigurationException(value.origin() + ": \"" + text + "\" is not host:port");
    }
    String host = text.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(text.substring(colon + 1));
    } catch (NumberFormatException e) {
      port = -1;
    }
    if (port < 0 || port > 65535) {
      throw new ConfigurationException(value.origin() + ": bad port in \"" + text + "\"");
    }
    return new ListenAddress(host, port);
  }
}
