package io.planetexporter.textformat;

import static io.planetexporter.textformat.TextTokens.found;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.util.Arrays;

/**
 * Unescapes the text-format's HELP texts and label values into one reused buffer and decodes them
 * as UTF-8, refusing invalid escapes and invalid UTF-8. ASCII, the common case, skips the decoder.
 * For {@link PrometheusTextParser}; not thread-safe.
 */
final class EscapedText {

  private final CharsetDecoder utf8 =
      UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT);
  private byte[] scratch = new byte[64];
  private String value = "";

  /**
   * Unescapes a HELP text, {@code b[start, end)}: escapes {@code \\} and {@code \n}.
   *
   * @param line the line's number, for the error
   */
  String help(byte[] b, int start, int end, long line) throws TextFormatException {
    int length = 0;
    for (int p = start; p < end; p++) {
      byte c = b[p];
      if (c == '\\') {
        p++;
        if (p == end) {
          throw new TextFormatException(line, "HELP text ends in a lone backslash");
        }
        if (b[p] == '\\') {
          c = '\\';
        } else if (b[p] == 'n') {
          c = '\n';
        } else {
          throw new TextFormatException(
              line, "invalid escape sequence in HELP text" + found(b, p, end));
        }
      }
      length = put(length, c);
    }
    return decode(length, null, line, null);
  }

  /**
   * Unescapes a label value that starts at {@code b[start]}, just after its opening quote: escapes
   * {@code \\}, {@code \"} and {@code \n}. Its text is then {@link #value()}.
   *
   * @param line the line's number, for the error
   * @param candidate a string that is likely the value (the same label's on the last line), to be
   *     the value itself if it is, so that repeated values cost nothing; may be null
   * @return the index after its closing quote
   */
  int labelValue(byte[] b, int start, int end, String labelName, long line, String candidate)
      throws TextFormatException {
    int length = 0;
    for (int p = start; p < end; p++) {
      byte c = b[p];
      if (c == '"') {
        value = decode(length, labelName, line, candidate);
        return p + 1;
      }
      if (c == '\\') {
        p++;
        if (p == end) {
          break;
        }
        switch (b[p]) {
          case '\\':
            c = '\\';
            break;
          case '"':
            c = '"';
            break;
          case 'n':
            c = '\n';
            break;
          default:
            throw new TextFormatException(
                line,
                "invalid escape sequence in the value of label \""
                    + labelName
                    + "\""
                    + found(b, p, end));
        }
      }
      length = put(length, c);
    }
    throw new TextFormatException(line, "unterminated value of label \"" + labelName + "\"");
  }

  private int put(int length, byte c) {
    if (length == scratch.length) {
      scratch = Arrays.copyOf(scratch, length * 2);
    }
    scratch[length] = c;
    return length + 1;
  }

  /**
   * The scratch's first {@code length} bytes as UTF-8.
   *
   * @param labelName the label whose value it is, for the error; null for a HELP text
   */
  private String decode(int length, String labelName, long line, String candidate)
      throws TextFormatException {
    for (int i = 0; i < length; i++) {
      if (scratch[i] < 0) {
        try {
          return utf8.decode(ByteBuffer.wrap(scratch, 0, length)).toString();
        } catch (CharacterCodingException e) {
          throw new TextFormatException(
              line,
              "invalid UTF-8 in "
                  + (labelName == null ? "HELP text" : "value of label \"" + labelName + "\""));
        }
      }
    }
    return TextTokens.latin1(scratch, 0, length, candidate);
  }

  /** The text of the label value {@link #labelValue} read last. */
  String value() {
    return value;
  }
}
