package io.planetexporter.task.inventory;

import static io.planetexporter.task.inventory.InventoryParserTest.describe;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.planetexporter.api.Host;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class PrefixInventoryTest {

  private static Host host(String name) {
    return new Host(name + ".example", name);
  }

  @Nested
  class Precedence {

    private final PrefixInventory inventory =
        PrefixInventory.builder()
            .add("10.0.0.0/8", host("eight"))
            .add("10.1.0.0/16", host("sixteen"))
            .add("10.1.2.0/24", host("twentyfour"))
            .add("10.1.2.3/32", host("thirtytwo"))
            .add("10.1.2.4", host("exact"))
            .add("10.1.2.4/32", host("shadowed"))
            .build();

    @Test
    void longestMatchingPrefixWins() {
      assertThat(
              describe(
                  inventory,
                  "10.9.9.9",
                  "10.1.9.9",
                  "10.1.2.9",
                  "10.1.2.3",
                  "10.1.2.4",
                  "11.0.0.1",
                  "9.255.255.255"))
          .isEqualTo(
              """
              10.9.9.9 -> eight.example eight
              10.1.9.9 -> sixteen.example sixteen
              10.1.2.9 -> twentyfour.example twentyfour
              10.1.2.3 -> thirtytwo.example thirtytwo
              10.1.2.4 -> exact.example exact
              11.0.0.1 -> unknown
              9.255.255.255 -> unknown
              """);
    }

    @Test
    void exactEntryWinsOverAnyPrefix() {
      PrefixInventory exactFirst =
          PrefixInventory.builder()
              .add("192.0.2.1", host("exact"))
              .add("192.0.2.0/24", host("prefix"))
              .build();

      assertThat(describe(exactFirst, "192.0.2.1", "192.0.2.2"))
          .isEqualTo(
              """
              192.0.2.1 -> exact.example exact
              192.0.2.2 -> prefix.example prefix
              """);
    }

    @Test
    void countsAddressesAndPrefixesOnce() {
      assertThat(inventory.size()).isEqualTo(6);
      assertThat(
              PrefixInventory.builder()
                  .add("10.0.0.1", host("a"))
                  .add("10.0.0.1", host("b"))
                  .add("10.0.0.5/8", host("c"))
                  .add("10.0.0.0/8", host("d"))
                  .build()
                  .size())
          .isEqualTo(2);
    }

    @Test
    void laterEntryForTheSameKeyWins() {
      PrefixInventory twice =
          PrefixInventory.builder()
              .add("10.0.0.1", host("first"))
              .add("10.0.0.1", host("second"))
              .add("10.9.0.0/16", host("first"))
              .add("10.9.255.255/16", host("second"))
              .build();

      assertThat(describe(twice, "10.0.0.1", "10.9.1.1"))
          .isEqualTo(
              """
              10.0.0.1 -> second.example second
              10.9.1.1 -> second.example second
              """);
    }
  }

  @Nested
  class CatchAll {

    private final PrefixInventory inventory =
        PrefixInventory.builder()
            .add("0.0.0.0/0", host("world4"))
            .add("::/0", host("world6"))
            .add("10.0.0.0/8", host("ten"))
            .build();

    @Test
    void matchesEveryAddressOfItsFamily() {
      assertThat(describe(inventory, "10.2.3.4", "203.0.113.9", "2001:db8::1", "255.255.255.255"))
          .isEqualTo(
              """
              10.2.3.4 -> ten.example ten
              203.0.113.9 -> world4.example world4
              2001:db8::1 -> world6.example world6
              255.255.255.255 -> world4.example world4
              """);
    }

    @Test
    void doesNotRenameLoopback() {
      assertThat(describe(inventory, "127.0.0.1", "::1"))
          .isEqualTo(
              """
              127.0.0.1 -> localhost localhost
              ::1 -> localhost localhost
              """);
    }
  }

  @Nested
  class Ipv6 {

    private final PrefixInventory inventory =
        PrefixInventory.builder()
            .add("2001:db8::/32", host("thirtytwo"))
            .add("2001:db8:aa::/48", host("fortyeight"))
            .add("2001:db8:aa:bb::/64", host("sixtyfour"))
            .add("2001:db8:aa:bb:0:0:0:80/121", host("hundredtwentyone"))
            .add("2001:db8:aa:bb::1/128", host("hundredtwentyeight"))
            .add("2001:db8:aa:bb::2", host("exact"))
            .build();

    @Test
    void longestMatchingPrefixWins() {
      assertThat(
              describe(
                  inventory,
                  "2001:db8:ff::1",
                  "2001:db8:aa:ff::1",
                  "2001:db8:aa:bb::100",
                  "2001:db8:aa:bb::81",
                  "2001:db8:aa:bb::1",
                  "2001:db8:aa:bb::2",
                  "2001:db9::1"))
          .isEqualTo(
              """
              2001:db8:ff::1 -> thirtytwo.example thirtytwo
              2001:db8:aa:ff::1 -> fortyeight.example fortyeight
              2001:db8:aa:bb::100 -> sixtyfour.example sixtyfour
              2001:db8:aa:bb::81 -> hundredtwentyone.example hundredtwentyone
              2001:db8:aa:bb::1 -> hundredtwentyeight.example hundredtwentyeight
              2001:db8:aa:bb::2 -> exact.example exact
              2001:db9::1 -> unknown
              """);
    }

    @Test
    void keepsTheFamiliesApart() {
      PrefixInventory v4Only = PrefixInventory.builder().add("0.0.0.0/0", host("v4")).build();

      assertThat(describe(v4Only, "::", "2001:db8::1"))
          .isEqualTo(
              """
              :: -> unknown
              2001:db8::1 -> unknown
              """);
    }
  }

  @Nested
  class MappedAddresses {

    private final PrefixInventory inventory =
        PrefixInventory.builder()
            .add("::ffff:192.0.2.0/120", host("mappedprefix"))
            .add("::ffff:198.51.100.7", host("mappedexact"))
            .add("203.0.113.5", host("plain"))
            .build();

    @Test
    void entriesWrittenMappedAreIpv4() {
      assertThat(describe(inventory, "192.0.2.99", "198.51.100.7"))
          .isEqualTo(
              """
              192.0.2.99 -> mappedprefix.example mappedprefix
              198.51.100.7 -> mappedexact.example mappedexact
              """);
    }

    @Test
    void lookupsOfMappedAddressesAreIpv4() throws UnknownHostException {
      assertThat(inventory.lookup(mapped(203, 0, 113, 5))).contains(host("plain"));
      assertThat(inventory.lookup(mapped(192, 0, 2, 1))).contains(host("mappedprefix"));
      assertThat(inventory.lookup(mapped(127, 0, 0, 1))).contains(Host.LOCALHOST);
    }

    @Test
    void rejectsAMappedPrefixWiderThanTheMappedRange() {
      assertThatThrownBy(() -> PrefixInventory.builder().add("::ffff:0.0.0.0/80", host("x")))
          .isInstanceOf(IllegalArgumentException.class);
    }

    /** An {@link Inet6Address} kept in its mapped form, as a socket table can yield. */
    private InetAddress mapped(int a, int b, int c, int d) throws UnknownHostException {
      byte[] bytes = new byte[16];
      bytes[10] = (byte) 0xff;
      bytes[11] = (byte) 0xff;
      bytes[12] = (byte) a;
      bytes[13] = (byte) b;
      bytes[14] = (byte) c;
      bytes[15] = (byte) d;
      InetAddress address = Inet6Address.getByAddress(null, bytes, -1);
      assertThat(address).isInstanceOf(Inet6Address.class);
      return address;
    }
  }

  @Nested
  class Loopback {

    @Test
    void isLocalhostByDefault() {
      PrefixInventory inventory = PrefixInventory.builder().add("10.0.0.1", host("a")).build();

      assertThat(describe(inventory, "127.0.0.1", "127.5.6.7", "::1"))
          .isEqualTo(
              """
              127.0.0.1 -> localhost localhost
              127.5.6.7 -> localhost localhost
              ::1 -> localhost localhost
              """);
    }

    @Test
    void isRenamedByAnEntryInsideLoopback() {
      PrefixInventory inventory =
          PrefixInventory.builder()
              .add("127.0.0.0/8", host("lo4"))
              .add("127.0.0.53", host("resolver"))
              .add("::1", host("lo6"))
              .build();

      assertThat(describe(inventory, "127.0.0.1", "127.0.0.53", "::1"))
          .isEqualTo(
              """
              127.0.0.1 -> lo4.example lo4
              127.0.0.53 -> resolver.example resolver
              ::1 -> lo6.example lo6
              """);
    }
  }

  @Nested
  class BadEntries {

    @Test
    void rejectsTextThatIsNotAnAddress() {
      for (String text :
          new String[] {
            "",
            "db1.example",
            "10.0.0",
            "10.0.0.256",
            "10.0.0.1/",
            "10.0.0.1/-1",
            "10.0.0.1/33",
            "::1/129",
            "10.0.0.1/8/8",
            "fe80::1%eth0",
            "10.0.0.1/ 8",
            "2001:db8::g"
          }) {
        assertThatThrownBy(() -> PrefixInventory.builder().add(text, host("x")))
            .as(text)
            .isInstanceOf(IllegalArgumentException.class);
      }
    }
  }
}
