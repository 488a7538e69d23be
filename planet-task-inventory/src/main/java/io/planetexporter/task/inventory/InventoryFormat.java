package io.planetexporter.task.inventory;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How the inventory document is laid out. */
enum InventoryFormat {
  /** One JSON array of objects. */
  ARRAYJSON,
  /** One JSON object per line. */
  NDJSON;

  /** The format's name as written in the option. */
  String optionName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The format of that name.
   *
   * @throws IllegalArgumentException naming the known formats
   */
  static InventoryFormat named(String name) {
    for (InventoryFormat format : values()) {
      if (format.optionName().equals(name)) {
        return format;
      }
    }
    throw new IllegalArgumentException(
        "unknown format \""
            + name
            + "\" (want "
            + Arrays.stream(values())
                .map(InventoryFormat::optionName)
                .collect(Collectors.joining(" or "))
            + ")");
  }
}
