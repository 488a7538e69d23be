package io.planetexporter.testfixtures;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Random;

/**
 * Damages a valid document the ways inputs get damaged, for property tests of parsers: bytes
 * flipped, dropped, repeated or inserted (the interesting ones more often: quotes, braces, commas,
 * newlines, a byte that is not UTF-8), and stretches cut out or doubled. The same seed always gives
 * the same document, so a failure names what to replay.
 *
 * <pre>{@code
 * @Property
 * void neverThrowsAnythingElse(@ForAll long seed) {
 *   byte[] damaged = Mutations.of(VALID_PAGE, new Random(seed), 5);
 *   ...
 * }
 * }</pre>
 */
public final class Mutations {

  // Bytes that delimit or escape in the formats, and bytes that are not UTF-8 on their own.
  private static final byte[] SPECIAL =
      "\"'\\{}[],:=# \t\n\r\0-./e\u00c3\u00ff\u0080".getBytes(ISO_8859_1);

  private Mutations() {}

  /** {@code document} with up to {@code edits} random edits (at least one). */
  public static byte[] of(byte[] document, Random random, int edits) {
    byte[] bytes = document.clone();
    for (int n = 1 + random.nextInt(edits); n > 0; n--) {
      bytes = edit(bytes, random);
    }
    return bytes;
  }

  private static byte[] edit(byte[] bytes, Random random) {
    if (bytes.length == 0) {
      return new byte[] {pick(random)};
    }
    int at = random.nextInt(bytes.length);
    ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length + 64);
    switch (random.nextInt(6)) {
      case 0: // replace one byte
        byte[] replaced = bytes.clone();
        replaced[at] = pick(random);
        return replaced;
      case 1: // drop one byte
        out.write(bytes, 0, at);
        out.write(bytes, at + 1, bytes.length - at - 1);
        return out.toByteArray();
      case 2: // insert one byte
        out.write(bytes, 0, at);
        out.write(pick(random));
        out.write(bytes, at, bytes.length - at);
        return out.toByteArray();
      case 3: // cut out a stretch
        int end = Math.min(bytes.length, at + 1 + random.nextInt(64));
        out.write(bytes, 0, at);
        out.write(bytes, end, bytes.length - end);
        return out.toByteArray();
      case 4: // double a stretch
        int stop = Math.min(bytes.length, at + 1 + random.nextInt(64));
        out.write(bytes, 0, stop);
        out.write(bytes, at, bytes.length - at);
        return out.toByteArray();
      default: // cut the document short
        return Arrays.copyOf(bytes, at);
    }
  }

  private static byte pick(Random random) {
    return random.nextBoolean() ? SPECIAL[random.nextInt(SPECIAL.length)] : (byte) random.nextInt();
  }
}
