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

  /** An inventory of entries written {@code "key name"}, each mapping the key to host(name). */
  private static PrefixInventory inventory(String... entries) {
    PrefixInventory.Builder builder = PrefixInventory.builder();
    for (String entry : entries) {
      String[] keyAndName = entry.split(" ");
      builder.add(keyAndName[0], host(keyAndName[1]));
    }
    return builder.build();
  }

  /**
   * Looks up the address on the left of each {@code address -> answer} line of {@code expected} and
   * checks that the answers are those lines (see {@link InventoryParserTest#describe}).
   */
  private static void assertLookups(PrefixInventory inventory, String expected) {
    String[] addresses =
        expected
            .lines()
            .map(line -> line.substring(0, line.indexOf(" -> ")))
            .toArray(String[]::new);
    assertThat(describe(inventory, addresses)).isEqualTo(expected);
  }

  @Nested
  class Precedence {

    private final PrefixInventory inventory =
        inventory(
            "10.0.0.0/8 eight",
            "10.1.0.0/16 sixteen",
            "10.1.2.0/24 twentyfour",
            "10.1.2.3/32 thirtytwo",
            "10.1.2.4 exact",
            "10.1.2.4/32 shadowed");

    @Test
    void longestMatchingPrefixWins() {
      assertLookups(
          inventory,
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
      assertLookups(
          inventory("192.0.2.1 exact", "192.0.2.0/24 prefix"),
          """
              192.0.2.1 -> exact.example exact
              192.0.2.2 -> prefix.example prefix
              """);
    }

    @Test
    void countsAddressesAndPrefixesOnce() {
      assertThat(inventory.size()).isEqualTo(6);
      assertThat(inventory("10.0.0.1 a", "10.0.0.1 b", "10.0.0.5/8 c", "10.0.0.0/8 d").size())
          .isEqualTo(2);
    }

    @Test
    void laterEntryForTheSameKeyWins() {
      assertLookups(
          inventory(
              "10.0.0.1 first", "10.0.0.1 second", "10.9.0.0/16 first", "10.9.255.255/16 second"),
          """
              10.0.0.1 -> second.example second
              10.9.1.1 -> second.example second
              """);
    }
  }

  @Nested
  class CatchAll {

    private final PrefixInventory inventory =
        inventory("0.0.0.0/0 world4", "::/0 world6", "10.0.0.0/8 ten");

    @Test
    void matchesEveryAddressOfItsFamily() {
      assertLookups(
          inventory,
          """
              10.2.3.4 -> ten.example ten
              203.0.113.9 -> world4.example world4
              2001:db8::1 -> world6.example world6
              255.255.255.255 -> world4.example world4
              """);
    }

    @Test
    void doesNotRenameLoopback() {
      assertLookups(
          inventory,
          """
              127.0.0.1 -> localhost localhost
              ::1 -> localhost localhost
              """);
    }
  }

  @Nested
  class Ipv6 {

    private final PrefixInventory inventory =
        inventory(
            "2001:db8::/32 thirtytwo",
            "2001:db8:aa::/48 fortyeight",
            "2001:db8:aa:bb::/64 sixtyfour",
            "2001:db8:aa:bb:0:0:0:80/121 hundredtwentyone",
            "2001:db8:aa:bb::1/128 hundredtwentyeight",
            "2001:db8:aa:bb::2 exact");

    @Test
    void longestMatchingPrefixWins() {
      assertLookups(
          inventory,
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
      assertLookups(
          inventory("0.0.0.0/0 v4"),
          """
              :: -> unknown
              2001:db8::1 -> unknown
              """);
    }
  }

  @Nested
  class MappedAddresses {

    private final PrefixInventory inventory =
        inventory(
            "::ffff:192.0.2.0/120 mappedprefix",
            "::ffff:198.51.100.7 mappedexact",
            "203.0.113.5 plain");

    @Test
    void entriesWrittenMappedAreIpv4() {
      assertLookups(
          inventory,
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
      assertLookups(
          inventory("10.0.0.1 a"),
          """
              127.0.0.1 -> localhost localhost
              127.5.6.7 -> localhost localhost
              ::1 -> localhost localhost
              """);
    }

    @Test
    void isRenamedByAnEntryInsideLoopback() {
      assertLookups(
          inventory("127.0.0.0/8 lo4", "127.0.0.53 resolver", "::1 lo6"),
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
