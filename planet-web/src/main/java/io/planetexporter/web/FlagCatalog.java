package io.planetexporter.web;

import java.util.Optional;

/** The flags a program knows, which {@link OptionSources} reads the command line against. */
public interface FlagCatalog {

  /** The flag of that name (without dashes), if the program has one. */
  Optional<Flag> find(String name);

  /** The one-line error for a flag the program does not know. */
  default String unknownFlag(String name) {
    return "unknown flag -" + name + " (see -h)";
  }
}
