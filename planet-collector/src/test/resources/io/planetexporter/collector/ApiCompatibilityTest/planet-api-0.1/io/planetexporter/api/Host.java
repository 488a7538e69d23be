package io.planetexporter.api;

import static java.util.Objects.requireNonNull;

/**
 * What the inventory knows of one address: the names people use for it.
 *
 * <pre>{@code
 * Host host = new Host("db1.service.consul", "db");
 * }</pre>
 *
 * @param domain the host's domain name, empty when unknown; never null
 * @param hostgroup the host's group (ansible convention), empty when unknown; never null
 */
public record Host(String domain, String hostgroup) {

  /** What a loopback address is called unless the inventory says otherwise. */
  public static final Host LOCALHOST = new Host("localhost", "localhost");

  public Host {
    requireNonNull(domain, "domain");
    requireNonNull(hostgroup, "hostgroup");
  }
}
