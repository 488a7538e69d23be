package io.planetexporter.task.inventory;

import io.planetexporter.api.Inventory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Supported API: the inventory as a library, without the exporter, its scheduler or Prometheus
 * types. Loads a document in the format the {@code inventory} task reads and answers lookups with
 * the same rules: an exact IP entry wins, else the longest matching CIDR prefix, IPv4 and IPv6;
 * IPv4-mapped IPv6 addresses are looked up as IPv4; loopback is {@code localhost} unless the
 * document names it.
 *
 * <pre>{@code
 * Inventory inventory = Inventories.load(Path.of("/etc/planet/inventory.json"), "arrayjson");
 * Optional<Host> host = inventory.lookup(InetAddress.getByName("10.1.2.3"));
 * String group = host.map(Host::hostgroup).orElse("");
 * }</pre>
 *
 * <p>The returned {@link Inventory} is immutable and safe to share between threads; a lookup takes
 * microseconds even with 100,000 entries. Malformed entries are skipped, as the task does.
 *
 * @since 0.2
 */
public final class Inventories {

  private Inventories() {}

  /**
   * Reads an inventory document.
   *
   * @param document the whole document, UTF-8 JSON
   * @param format {@code arrayjson} (one JSON array of objects) or {@code ndjson} (one object per
   *     line); each object has {@code ip_address} (an IP or CIDR), {@code domain}, {@code
   *     hostgroup}
   * @throws IOException when the document is not of the format at all
   * @throws IllegalArgumentException when the format is neither
   */
  public static Inventory parse(byte[] document, String format) throws IOException {
    InventoryFormat known = InventoryFormat.named(format);
    try {
      return InventoryParser.parse(document, known).inventory();
    } catch (InventoryException e) {
      throw new IOException("not " + known.optionName() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Reads an inventory file; see {@link #parse(byte[], String)}.
   *
   * @throws IOException when the file cannot be read or is not of the format, naming the file
   */
  public static Inventory load(Path file, String format) throws IOException {
    try {
      return parse(Files.readAllBytes(file), format);
    } catch (IOException e) {
      throw new IOException(file + ": " + e.getMessage(), e);
    }
  }
}
