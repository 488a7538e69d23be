package io.planetexporter.task.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.planetexporter.api.Host;
import io.planetexporter.api.Inventory;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The inventory as a library: a file in, lookups out, nothing of the exporter around. */
class InventoriesTest {

  @TempDir Path dir;

  @Test
  void loadsAFileAndAnswersExactEntriesPrefixesAndLoopback() throws IOException {
    Path file =
        Files.writeString(
            dir.resolve("inventory.json"),
            """
            [{"ip_address": "10.1.0.0/16", "domain": "", "hostgroup": "db"},
             {"ip_address": "10.1.2.3", "domain": "db1.example", "hostgroup": "db"},
             {"ip_address": "fd00::/8", "domain": "", "hostgroup": "lab"}]
            """);

    Inventory inventory = Inventories.load(file, "arrayjson");

    assertThat(inventory.size()).isEqualTo(3);
    assertThat(inventory.lookup(address("10.1.2.3"))).contains(new Host("db1.example", "db"));
    assertThat(inventory.lookup(address("10.1.9.9"))).contains(new Host("", "db"));
    assertThat(inventory.lookup(address("::ffff:10.1.2.3")))
        .contains(new Host("db1.example", "db"));
    assertThat(inventory.lookup(address("fd00::7"))).contains(new Host("", "lab"));
    assertThat(inventory.lookup(address("127.0.0.1"))).contains(Host.LOCALHOST);
    assertThat(inventory.lookup(address("192.0.2.1"))).isEmpty();
  }

  @Test
  void readsNdjsonSkippingAMalformedLine() throws IOException {
    Inventory inventory =
        Inventories.parse(
            """
            {"ip_address": "10.0.0.1", "domain": "a.example", "hostgroup": "a"}
            not json
            {"ip_address": "10.0.0.2", "domain": "b.example", "hostgroup": "b"}
            """
                .getBytes(StandardCharsets.UTF_8),
            "ndjson");

    assertThat(inventory.size()).isEqualTo(2);
    assertThat(inventory.lookup(address("10.0.0.2"))).contains(new Host("b.example", "b"));
  }

  @Test
  void namesTheFileWhenItIsNotOfTheFormat() throws IOException {
    Path file = Files.writeString(dir.resolve("garbage.json"), "{\"not\": \"an array\"}");

    assertThatThrownBy(() -> Inventories.load(file, "arrayjson"))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith(file + ": not arrayjson: ");
  }

  @Test
  void refusesAnUnknownFormat() {
    assertThatThrownBy(() -> Inventories.parse(new byte[0], "xml"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown format \"xml\" (want arrayjson or ndjson)");
  }

  private static InetAddress address(String literal) throws IOException {
    return InetAddress.getByName(literal);
  }
}
