package io.planetexporter.textformat;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * The labels of one sample line as the parser read them: an immutable map over one array of names
 * and values in line order, so that a page of many lines makes one small object per line instead of
 * a hash map and its copy. Lookups scan, which is quicker than hashing for the few labels of a
 * line; the parser has already refused a name given twice.
 */
final class LineLabels extends AbstractMap<String, String> {

  /** Name, value, name, value, ... */
  private final String[] pairs;

  /** Takes {@code pairs}, which the caller must not change afterwards. */
  LineLabels(String[] pairs) {
    this.pairs = pairs;
  }

  @Override
  public int size() {
    return pairs.length / 2;
  }

  @Override
  public boolean containsKey(Object name) {
    return indexOf(name) >= 0;
  }

  @Override
  public String get(Object name) {
    int i = indexOf(name);
    return i < 0 ? null : pairs[i + 1];
  }

  private int indexOf(Object name) {
    for (int i = 0; i < pairs.length; i += 2) {
      if (pairs[i].equals(name)) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public Set<Entry<String, String>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public int size() {
        return pairs.length / 2;
      }

      @Override
      public Iterator<Entry<String, String>> iterator() {
        return new Iterator<>() {
          private int next;

          @Override
          public boolean hasNext() {
            return next < pairs.length;
          }

          @Override
          public Entry<String, String> next() {
            if (next == pairs.length) {
              throw new NoSuchElementException();
            }
            Entry<String, String> entry = Map.entry(pairs[next], pairs[next + 1]);
            next += 2;
            return entry;
          }
        };
      }
    };
  }
}
