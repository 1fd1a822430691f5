package domain;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses a tick's JSON text into plain Java values, keeping decimals exact: fractional numbers
 * become BigDecimal (a general JSON decoder would turn them into double and round them).
 */
public final class TickJson {
  private static final JsonFactory FACTORY = new JsonFactory();

  private TickJson() {}

  /**
   * @throws ViolationException MALFORMED_JSON when the text is not one JSON object
   */
  public static Map<String, Object> parseObject(String text) {
    if (text == null || text.isBlank()) {
      throw malformed("record has no value");
    }
    try (JsonParser parser = FACTORY.createParser(text)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw malformed("value is not a JSON object");
      }
      Map<String, Object> object = readObject(parser);
      if (parser.nextToken() != null) {
        throw malformed("trailing content after the JSON object");
      }
      return object;
    } catch (JsonProcessingException e) {
      throw malformed("value is not valid JSON: " + e.getOriginalMessage());
    } catch (NumberFormatException e) {
      // Jackson throws it unwrapped for a number no BigDecimal holds, such as 1e-2147483649
      throw malformed("value holds a number out of range: " + e.getMessage());
    } catch (IOException e) {
      throw malformed("value is not valid JSON: " + e.getMessage());
    }
  }

  private static Map<String, Object> readObject(JsonParser parser) throws IOException {
    Map<String, Object> object = new LinkedHashMap<>();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      parser.nextToken();
      object.put(name, readValue(parser));
    }
    return object;
  }

  private static List<Object> readArray(JsonParser parser) throws IOException {
    List<Object> array = new ArrayList<>();
    while (parser.nextToken() != JsonToken.END_ARRAY) {
      array.add(readValue(parser));
    }
    return array;
  }

  private static Object readValue(JsonParser parser) throws IOException {
    return switch (parser.currentToken()) {
      case START_OBJECT -> readObject(parser);
      case START_ARRAY -> readArray(parser);
      case VALUE_STRING -> parser.getText();
      case VALUE_NUMBER_INT -> parser.getNumberValue();
      case VALUE_NUMBER_FLOAT -> parser.getDecimalValue();
      case VALUE_TRUE -> Boolean.TRUE;
      case VALUE_FALSE -> Boolean.FALSE;
      default -> null;
    };
  }

  private static ViolationException malformed(String message) {
    return new ViolationException(Violation.of(ErrorCode.MALFORMED_JSON, null, message));
  }
}
