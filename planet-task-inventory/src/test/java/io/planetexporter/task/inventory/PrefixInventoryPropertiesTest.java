package io.planetexporter.task.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import io.planetexporter.api.Host;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The lookup structure answers as the plain rule would: the last exact entry for the address, else
 * the last entry of the longest prefix containing it, else loopback's name, else nothing.
 */
class PrefixInventoryPropertiesTest {

  /** An address or prefix ({@code length} -1 for an exact address) with the host it names. */
  record Entry(byte[] address, int length, Host host) {
    String text() {
      try {
        String ip = InetAddress.getByAddress(address).getHostAddress();
        return length < 0 ? ip : ip + "/" + length;
      } catch (UnknownHostException e) {
        throw new IllegalStateException(e);
      }
    }

    boolean contains(byte[] probe) {
      if (probe.length != address.length) {
        return false;
      }
      int bits = length < 0 ? address.length * 8 : length;
      BigInteger mask =
          BigInteger.ONE
              .shiftLeft(address.length * 8)
              .subtract(BigInteger.ONE)
              .xor(BigInteger.ONE.shiftLeft(address.length * 8 - bits).subtract(BigInteger.ONE));
      return new BigInteger(1, probe).and(mask).equals(new BigInteger(1, address).and(mask));
    }
  }

  @Property(tries = 300)
  void ipv4AnswersAsTheRule(
      @ForAll("ipv4Entries") List<Entry> entries, @ForAll("ipv4Probes") List<byte[]> probes)
      throws UnknownHostException {
    check(entries, probes);
  }

  @Property(tries = 300)
  void ipv6AnswersAsTheRule(
      @ForAll("ipv6Entries") List<Entry> entries, @ForAll("ipv6Probes") List<byte[]> probes)
      throws UnknownHostException {
    check(entries, probes);
  }

  private static void check(List<Entry> entries, List<byte[]> probes) throws UnknownHostException {
    PrefixInventory.Builder builder = PrefixInventory.builder();
    entries.forEach(entry -> builder.add(entry.text(), entry.host()));
    PrefixInventory inventory = builder.build();
    for (byte[] probe : probes) {
      InetAddress address = InetAddress.getByAddress(probe);
      assertThat(inventory.lookup(address)).as(address.toString()).isEqualTo(rule(entries, probe));
    }
  }

  private static Optional<Host> rule(List<Entry> entries, byte[] probe) {
    Entry best = null;
    for (Entry entry : entries) {
      if (entry.length() < 0 && entry.contains(probe)) {
        best = entry;
      }
    }
    if (best == null) {
      for (Entry entry : entries) {
        if (entry.length() >= 0
            && entry.contains(probe)
            && (best == null || entry.length() >= best.length())) {
          best = entry;
        }
      }
    }
    boolean loopback = probe.length == 4 ? probe[0] == 127 : isIpv6Loopback(probe);
    int loopbackLength = probe.length == 4 ? 8 : 128;
    if (loopback && (best == null || (best.length() >= 0 && best.length() < loopbackLength))) {
      return Optional.of(Host.LOCALHOST);
    }
    return Optional.ofNullable(best).map(Entry::host);
  }

  private static boolean isIpv6Loopback(byte[] probe) {
    for (int i = 0; i < 15; i++) {
      if (probe[i] != 0) {
        return false;
      }
    }
    return probe[15] == 1;
  }

  @Provide
  Arbitrary<List<Entry>> ipv4Entries() {
    return entries(4).list().ofMaxSize(40);
  }

  @Provide
  Arbitrary<List<byte[]>> ipv4Probes() {
    return address(4).list().ofMinSize(1).ofMaxSize(40);
  }

  @Provide
  Arbitrary<List<Entry>> ipv6Entries() {
    return entries(16).list().ofMaxSize(40);
  }

  @Provide
  Arbitrary<List<byte[]>> ipv6Probes() {
    return address(16).list().ofMinSize(1).ofMaxSize(40);
  }

  private static Arbitrary<Entry> entries(int bytes) {
    Arbitrary<Integer> length =
        Arbitraries.oneOf(Arbitraries.just(-1), Arbitraries.integers().between(0, bytes * 8));
    Arbitrary<Host> host =
        Arbitraries.of("a", "b", "c", "d").map(name -> new Host(name + ".example", name));
    return Combinators.combine(address(bytes), length, host).as(Entry::new);
  }

  /**
   * Addresses from a few small neighbourhoods (including loopback), so that entries and probes
   * overlap often enough for nested prefixes and exact hits to matter.
   */
  private static Arbitrary<byte[]> address(int bytes) {
    Arbitrary<Integer> base = Arbitraries.integers().between(0, 3);
    Arbitrary<Integer> low = Arbitraries.integers().between(0, 255);
    Arbitrary<Integer> mid = Arbitraries.integers().between(0, 3);
    return Combinators.combine(base, mid, low)
        .as(
            (b, m, l) -> {
              byte[] address = new byte[bytes];
              if (bytes == 4) {
                address[0] = (byte) new int[] {10, 127, 192, 0}[b];
              } else if (b != 1) {
                address[0] = 0x20;
                address[1] = 0x01;
                address[2] = b.byteValue();
              }
              address[bytes - 2] = m.byteValue();
              address[bytes - 1] = l.byteValue();
              if (bytes == 16 && b == 1) {
                address[bytes - 2] = 0;
                address[bytes - 1] = (byte) (l % 2); // :: or ::1
              }
              return address;
            });
  }
}
