package io.planetexporter.task.inventory;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * One object of an inventory document as written, before its address is read: {@code ip_address}
 * trimmed, {@code domain} and {@code hostgroup} (missing or null meaning empty), or what is wrong
 * with it (a field of the wrong JSON type, no {@code ip_address}). Other fields are ignored.
 *
 * @param ip the {@code ip_address} text, null when missing or not a string
 * @param domain the {@code domain}, empty when missing or null
 * @param hostgroup the {@code hostgroup}, empty when missing or null
 * @param problem what makes the entry malformed, null when nothing does
 */
record RawEntry(String ip, String domain, String hostgroup, String problem) {

  /** Reads the fields of the object whose START_OBJECT is the current token, up to its end. */
  static RawEntry read(JsonParser p) throws IOException {
    String ip = null;
    String domain = "";
    String hostgroup = "";
    String problem = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken value = p.nextToken();
      switch (field) {
        case "ip_address":
          if (value == JsonToken.VALUE_STRING) {
            ip = p.getText().trim();
          } else {
            problem = typeProblem(field, value);
          }
          break;
        case "domain":
        case "hostgroup":
          String text = "";
          if (value == JsonToken.VALUE_STRING) {
            text = p.getText();
          } else if (value != JsonToken.VALUE_NULL) {
            problem = typeProblem(field, value);
          }
          if (field.equals("domain")) {
            domain = text;
          } else {
            hostgroup = text;
          }
          break;
        default:
          break;
      }
      p.skipChildren();
    }
    if (problem == null && ip == null) {
      problem = "no ip_address";
    }
    return new RawEntry(ip, domain, hostgroup, problem);
  }

  private static String typeProblem(String field, JsonToken value) {
    return field + " is " + kind(value) + ", not a string";
  }

  /** The token as a problem names it: "an object", "a number", ... */
  static String kind(JsonToken token) {
    switch (token) {
      case START_OBJECT:
        return "an object";
      case START_ARRAY:
        return "an array";
      case VALUE_NUMBER_INT:
      case VALUE_NUMBER_FLOAT:
        return "a number";
      case VALUE_TRUE:
      case VALUE_FALSE:
        return "a boolean";
      case VALUE_STRING:
        return "a string";
      case VALUE_NULL:
        return "null";
      default:
        return token.name();
    }
  }
}
