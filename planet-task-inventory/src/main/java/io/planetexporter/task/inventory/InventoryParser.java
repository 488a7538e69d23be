package io.planetexporter.task.inventory;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import io.planetexporter.api.Host;
import io.planetexporter.textformat.LineSplitter;
import java.io.ByteArrayInputStream;
import java.io.CharConversionException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * Reads an inventory document with Jackson's streaming parser straight into a {@link
 * PrefixInventory}, without an intermediate tree or list of entries.
 *
 * <p>Objects have {@code ip_address} (an IP or a CIDR prefix), {@code domain} and {@code hostgroup}
 * (strings, missing or null meaning empty); other fields are ignored. An object without either name
 * is skipped as unnamed. An array element or ndjson line that is not such an object (wrong types, a
 * bad address, a line that is not JSON) is skipped as malformed, and the rest is kept. A document
 * that is not the format at all fails: arrayjson that is not one well-formed JSON array (a syntax
 * error anywhere in it included, since a streaming parser cannot resynchronize), or a document
 * where no element or line is a JSON object.
 */
final class InventoryParser {

  /** An entry is about a hundred bytes; a longer line is skipped rather than buffered. */
  static final int MAX_LINE_BYTES = 1 << 20;

  // Jackson buffers a whole string value: one string over the line limit fails the document
  // rather than taking tens of MiB of the heap (Jackson's own default is 20 million chars).
  private static final JsonFactory json =
      JsonFactory.builder()
          .streamReadConstraints(
              StreamReadConstraints.builder().maxStringLength(MAX_LINE_BYTES).build())
          .build();

  /**
   * What an entry costs loaded, besides its names' characters: its slot in the address map, the
   * address, the domain and hostgroup pair and their strings' headers. An upper bound: 250,000
   * entries measured 186 bytes each with names of about 25 characters, 330 with 175.
   */
  static final long ENTRY_BYTES = 176;

  private final PrefixInventory.Builder builder = PrefixInventory.builder();
  private final int maxEntries;
  private final LongConsumer charge;
  private long charged;
  private int entries;
  private int malformed;
  private int unnamed;
  private String firstProblem = "";

  private InventoryParser(int maxEntries, LongConsumer charge) {
    this.maxEntries = maxEntries;
    this.charge = charge;
  }

  /**
   * Parses a whole document in memory, with no limit on the number of entries.
   *
   * @throws InventoryException when the document is not of the format at all
   */
  static ParsedInventory parse(byte[] document, InventoryFormat format) throws InventoryException {
    try {
      return parse(new ByteArrayInputStream(document), format, Integer.MAX_VALUE, bytes -> {});
    } catch (IOException e) {
      throw new IllegalStateException("reading from memory cannot fail", e);
    }
  }

  /**
   * Parses a document as it is read, never held whole: arrayjson with one streaming parser, ndjson
   * a batch of lines at a time.
   *
   * @param maxEntries the most entries accepted; one more refuses the document at once, before it
   *     costs more memory
   * @param charge told of what each entry will cost loaded before it is added; may throw to stop
   *     the parse (the task's memory budget)
   * @throws InventoryException when the document is not of the format at all, or has more than
   *     {@code maxEntries} entries
   * @throws IOException when the stream fails
   */
  static ParsedInventory parse(
      InputStream document, InventoryFormat format, int maxEntries, LongConsumer charge)
      throws IOException, InventoryException {
    InventoryParser parser = new InventoryParser(maxEntries, charge);
    switch (format) {
      case ARRAYJSON:
        parser.readArray(document);
        break;
      case NDJSON:
        parser.readLines(document);
        break;
      default:
        throw new IllegalArgumentException("unhandled format " + format);
    }
    return new ParsedInventory(
        parser.builder.build(),
        parser.entries,
        parser.malformed,
        parser.unnamed,
        parser.firstProblem,
        parser.charged);
  }

  private void readArray(InputStream document) throws IOException, InventoryException {
    try (JsonParser p = json.createParser(document)) {
      JsonToken first = p.nextToken();
      if (first != JsonToken.START_ARRAY) {
        throw new InventoryException(
            "not a JSON array"
                + (first == null
                    ? " (empty document)"
                    : " (starts with " + RawEntry.kind(first) + ")")
                + (first == JsonToken.START_OBJECT ? "; is the format ndjson?" : ""));
      }
      int elements = 0;
      int objects = 0;
      for (JsonToken token = p.nextToken(); token != JsonToken.END_ARRAY; token = p.nextToken()) {
        if (token == null) {
          throw new InventoryException("JSON array not closed at end of document");
        }
        elements++;
        int line = p.currentTokenLocation().getLineNr();
        if (token != JsonToken.START_OBJECT) {
          p.skipChildren();
          malformed(elements, line, RawEntry.kind(token) + ", not an object");
          continue;
        }
        objects++;
        accept(RawEntry.read(p), elements, line);
      }
      if (p.nextToken() != null) {
        throw new InventoryException(
            "data after the JSON array at line " + p.currentTokenLocation().getLineNr());
      }
      if (objects == 0 && elements > 0) {
        throw new InventoryException("none of the " + elements + " array elements is an object");
      }
    } catch (JsonProcessingException e) {
      throw new InventoryException("not valid JSON: " + describe(e));
    } catch (CharConversionException e) {
      throw new InventoryException("not valid JSON: " + notText(e));
    }
  }

  /**
   * Reads one object per line, a batch of lines at a time, so that the document is never held
   * whole; a bad line is skipped and counted, the others are kept.
   */
  private void readLines(InputStream document) throws IOException, InventoryException {
    NdjsonBatches batch = new NdjsonBatches();
    LineSplitter<RuntimeException> lines = new LineSplitter<>(MAX_LINE_BYTES, batch);
    int[] seen = new int[2]; // lines that are not blank, and those that are JSON objects
    byte[] chunk = new byte[NdjsonBatches.BATCH_BYTES];
    for (int read = document.read(chunk); read >= 0; read = document.read(chunk)) {
      lines.feed(chunk, read);
      if (batch.full()) {
        readBatch(batch, seen);
      }
    }
    lines.finish();
    readBatch(batch, seen);
    if (seen[0] > 0 && seen[1] == 0) {
      throw new InventoryException("none of the " + seen[0] + " lines is a JSON object");
    }
  }

  /** Reads the lines of a batch, then empties it. */
  private void readBatch(NdjsonBatches batch, int[] seen) throws InventoryException {
    List<LineEntry> entries = new ArrayList<>();
    if (readWellFormedLines(batch, entries)) {
      for (LineEntry entry : entries) {
        accept(entry.entry(), 0, (int) batch.firstLine() + entry.line());
      }
      seen[0] += entries.size();
      seen[1] += entries.size();
    } else {
      readLineByLine(batch, seen);
    }
    batch.clear();
  }

  /**
   * Reads a batch with one parser, the fast way, into {@code entries} (with their line in the
   * batch); gives up, returning false, at the first thing that is not one object per line (another
   * token, an object across lines, two on one line, a syntax error, a line over the limit), and the
   * caller reads the batch again with {@link #readLineByLine}, which skips exactly the bad lines.
   */
  private static boolean readWellFormedLines(NdjsonBatches batch, List<LineEntry> entries) {
    for (int i = 0; i < batch.lines(); i++) {
      if (batch.truncated(i)) {
        return false;
      }
    }
    try (JsonParser p = json.createParser(batch.bytes(), 0, batch.length())) {
      int previousLine = -1;
      for (JsonToken token = p.nextToken(); token != null; token = p.nextToken()) {
        int line = p.currentTokenLocation().getLineNr() - 1;
        if (token != JsonToken.START_OBJECT || line <= previousLine) {
          return false;
        }
        RawEntry entry = RawEntry.read(p);
        if (p.currentLocation().getLineNr() - 1 != line) {
          return false;
        }
        entries.add(new LineEntry(entry, line));
        previousLine = line;
      }
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private void readLineByLine(NdjsonBatches batch, int[] seen) throws InventoryException {
    byte[] bytes = batch.bytes();
    for (int i = 0; i < batch.lines(); i++) {
      int line = (int) batch.firstLine() + i;
      int start = batch.start(i);
      int end = batch.end(i);
      int first = firstNonBlank(bytes, start, end);
      if (batch.truncated(i)) {
        seen[0]++;
        malformed(0, line, "longer than " + MAX_LINE_BYTES + " bytes");
      } else if (first < end) {
        if (seen[0]++ == 0 && bytes[first] == '[') {
          // A JSON array's lines, apart from its first and last, could pass for ndjson.
          throw new InventoryException("starts with a JSON array; is the format arrayjson?");
        }
        seen[1] += readLine(bytes, start, end - start, line) ? 1 : 0;
      }
    }
  }

  /** Reads one ndjson line; returns whether it was a JSON object. */
  private boolean readLine(byte[] document, int offset, int length, int line)
      throws InventoryException {
    try (JsonParser p = json.createParser(document, offset, length)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        malformed(0, line, "not a JSON object");
        return false;
      }
      RawEntry entry = RawEntry.read(p);
      if (p.nextToken() != null) {
        malformed(0, line, "data after the object");
      } else {
        accept(entry, 0, line);
      }
      return true;
    } catch (JsonProcessingException e) {
      malformed(0, line, "not valid JSON: " + e.getOriginalMessage());
      return false;
    } catch (CharConversionException e) {
      malformed(0, line, "not valid JSON: " + notText(e));
      return false;
    } catch (IOException e) {
      throw new IllegalStateException("reading from memory cannot fail", e);
    }
  }

  /** Keeps or counts the entry of array element {@code element} (0 in ndjson) on that line. */
  private void accept(RawEntry entry, int element, int line) throws InventoryException {
    if (entry.problem() != null) {
      malformed(element, line, entry.problem());
    } else if (entry.domain().isEmpty() && entry.hostgroup().isEmpty()) {
      unnamed++;
    } else {
      long cost = ENTRY_BYTES + stringBytes(entry.domain()) + stringBytes(entry.hostgroup());
      charge.accept(cost);
      charged += cost;
      try {
        builder.add(entry.ip(), new Host(entry.domain(), entry.hostgroup()));
        entries++;
      } catch (IllegalArgumentException e) {
        malformed(element, line, "ip_address: " + e.getMessage());
      }
      if (entries > maxEntries) {
        throw new TooManyEntriesException(
            "more than "
                + maxEntries
                + " entries (-task-inventory-max-entries), refused at "
                + (element > 0 ? "element " + element + " (line " + line + ")" : "line " + line));
      }
    }
  }

  private void malformed(int element, int line, String problem) {
    if (malformed++ == 0) {
      firstProblem =
          (element > 0 ? "element " + element + " (line " + line + ")" : "line " + line)
              + ": "
              + problem;
    }
  }

  /** The bytes of a String's characters: one a character when all are Latin-1, else two. */
  private static long stringBytes(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) > 0xff) {
        return 2L * text.length();
      }
    }
    return text.length();
  }

  private static int firstNonBlank(byte[] document, int start, int end) {
    int i = start;
    while (i < end && (document[i] == ' ' || document[i] == '\t' || document[i] == '\r')) {
      i++;
    }
    return i;
  }

  /**
   * Jackson guesses a document's encoding from its first four bytes and decodes UTF-32 itself;
   * bytes it cannot take for text (e.g. a UTF-32 of byte order 2143) come as this exception, which
   * is not a {@link JsonProcessingException}.
   */
  private static String notText(CharConversionException e) {
    return "its bytes are not text in any encoding JSON allows (" + e.getMessage() + ")";
  }

  private static String describe(JsonProcessingException e) {
    var location = e.getLocation();
    return e.getOriginalMessage()
        + (location == null
            ? ""
            : " at line " + location.getLineNr() + " column " + location.getColumnNr());
  }

  /** An entry of a batch of ndjson lines, and its line in the batch (from 0). */
  private record LineEntry(RawEntry entry, int line) {}
}
