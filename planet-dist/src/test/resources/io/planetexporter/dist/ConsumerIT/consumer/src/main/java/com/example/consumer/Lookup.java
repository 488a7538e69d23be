package com.example.consumer;

import io.planetexporter.api.Host;
import io.planetexporter.api.Inventory;
import io.planetexporter.net.IpAddress;
import io.planetexporter.task.inventory.Inventories;
import java.nio.file.Path;

/** {@code Lookup <inventory.json> <ip>...}: prints each IP's domain and hostgroup. */
public final class Lookup {

  private Lookup() {}

  public static void main(String[] args) throws Exception {
    Inventory inventory = Inventories.load(Path.of(args[0]), "arrayjson");
    for (int i = 1; i < args.length; i++) {
      // Parsed as a literal (never a DNS query) and written back in canonical form.
      IpAddress address = IpAddress.parse(args[i]);
      Host host = inventory.lookup(address.toInetAddress()).orElse(new Host("?", "?"));
      System.out.println(address + " " + host.domain() + " " + host.hostgroup());
    }
  }
}
