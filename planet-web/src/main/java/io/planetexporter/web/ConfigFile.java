package io.planetexporter.web;

import io.planetexporter.api.ConfigurationException;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.configuration2.PropertiesConfiguration;
import org.apache.commons.configuration2.io.FileHandler;

/** The {@code -config.file}: a properties file whose keys are flag names without the dash. */
final class ConfigFile {

  private ConfigFile() {}

  /**
   * The file's values by key, uninterpreted.
   *
   * @throws ConfigurationException naming the file when it cannot be read, and the key when it is
   *     not an option or is given twice
   */
  static Map<String, String> read(Path file, FlagCatalog options) throws ConfigurationException {
    PropertiesConfiguration properties = new PropertiesConfiguration();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      new FileHandler(properties).load(reader);
    } catch (IOException | org.apache.commons.configuration2.ex.ConfigurationException e) {
      throw new ConfigurationException("-config.file: cannot read " + file + ": " + describe(e), e);
    }
    Map<String, String> values = new LinkedHashMap<>();
    for (Iterator<String> keys = properties.getKeys(); keys.hasNext(); ) {
      String key = keys.next();
      Optional<Flag> flag = options.find(key);
      if (flag.isEmpty() || !flag.get().configurable()) {
        throw new ConfigurationException(file + ": unknown key \"" + key + "\" (see -h)");
      }
      Object value = properties.getProperty(key);
      if (!(value instanceof String)) {
        throw new ConfigurationException(file + ": key \"" + key + "\" is given more than once");
      }
      values.put(key, ((String) value).trim());
    }
    return values;
  }

  private static String describe(Exception e) {
    if (e instanceof java.nio.file.NoSuchFileException) {
      return "no such file";
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
