package io.planetexporter.task.socketstat.table;

import io.planetexporter.net.IpAddress;

/**
 * Addresses met lately, by hash, so that a socket table (few distinct addresses shared by many
 * sockets) makes few address objects. Not thread-safe: one per table being read.
 */
public final class RecentAddresses {

  private static final int BITS = 10;

  private final IpAddress[] recent = new IpAddress[1 << BITS];

  /** The address of these 128 bits, the one met lately if it is the same. */
  public IpAddress of(long high, long low) {
    int slot = (int) (((high * 31) ^ low) * 0x9E3779B97F4A7C15L >>> (64 - BITS));
    IpAddress cached = recent[slot];
    if (cached != null && cached.high() == high && cached.low() == low) {
      return cached;
    }
    IpAddress address = new IpAddress(high, low);
    recent[slot] = address;
    return address;
  }
}
