package io.haddns.controller.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads one YAML document into a Jackson tree, token by token, so that duplicate keys and aliases
 * are reported with their paths instead of silently resolved (Jackson keeps the last duplicate and
 * turns an alias into its name as a string).
 */
final class YamlTreeReader {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /**
   * The largest document read, in code points. SnakeYAML's default (3 Mi) refuses the configuration
   * of about 30,000 records; this one holds about 600,000 (docs/benchmarks.md, "Mass re-point at
   * 100,000 records": 100,000 records and 10,000 lines are 10.6 MB).
   */
  static final int MAX_CODE_POINTS = 64 * 1024 * 1024;

  private final YAMLFactory factory = YAMLFactory.builder().loaderOptions(loaderOptions()).build();

  private static LoaderOptions loaderOptions() {
    LoaderOptions options = new LoaderOptions();
    options.setCodePointLimit(MAX_CODE_POINTS);
    return options;
  }

  /** A YAML syntax error; the message never quotes the document, which may hold secrets. */
  static final class SyntaxException extends Exception {
    SyntaxException(String message) {
      super(message);
    }
  }

  /**
   * Reads the document; returns empty when it holds no value at all.
   *
   * @throws SyntaxException when the text is not YAML or holds several documents
   */
  Optional<JsonNode> read(String yaml, Problems problems) throws SyntaxException {
    try (JsonParser parser = factory.createParser(yaml)) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        return Optional.empty();
      }
      JsonNode root = value(parser, "", problems);
      if (parser.nextToken() != null) {
        throw new SyntaxException(
            "holds more than one YAML document (line "
                + parser.currentTokenLocation().getLineNr()
                + "); put the whole configuration in one");
      }
      return Optional.of(root);
    } catch (JsonProcessingException e) {
      throw new SyntaxException(describe(e));
    } catch (IOException e) {
      throw new SyntaxException("cannot be read: " + e.getMessage());
    }
  }

  private JsonNode value(JsonParser parser, String path, Problems problems) throws IOException {
    if (parser instanceof YAMLParser yaml && yaml.isCurrentAlias()) {
      problems.add(path, "", "YAML aliases (*name) are not supported: write the value out");
      return NODES.nullNode();
    }
    return switch (parser.currentToken()) {
      case START_OBJECT -> object(parser, path, problems);
      case START_ARRAY -> array(parser, path, problems);
      case VALUE_STRING -> NODES.textNode(parser.getText());
      case VALUE_NUMBER_INT -> NODES.numberNode(parser.getBigIntegerValue());
      case VALUE_NUMBER_FLOAT -> decimal(parser);
      case VALUE_TRUE -> NODES.booleanNode(true);
      case VALUE_FALSE -> NODES.booleanNode(false);
      case VALUE_NULL -> NODES.nullNode();
      default -> {
        problems.add(path, "", "unsupported YAML value (" + parser.currentToken() + ")");
        yield NODES.nullNode();
      }
    };
  }

  private static JsonNode decimal(JsonParser parser) throws IOException {
    try {
      return NODES.numberNode(parser.getDecimalValue());
    } catch (NumberFormatException e) {
      // .inf and .nan have no decimal form; keep them as written so they are reported as such.
      return NODES.textNode(parser.getText());
    }
  }

  private ObjectNode object(JsonParser parser, String path, Problems problems) throws IOException {
    ObjectNode object = NODES.objectNode();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String key = parser.currentName();
      String childPath = path.isEmpty() ? key : path + "." + key;
      parser.nextToken();
      JsonNode child = value(parser, childPath, problems);
      if (object.has(key)) {
        problems.add(childPath, "", "duplicate key: each key may appear once in a mapping");
      } else {
        object.set(key, child);
      }
    }
    return object;
  }

  private ArrayNode array(JsonParser parser, String path, Problems problems) throws IOException {
    ArrayNode array = NODES.arrayNode();
    while (parser.nextToken() != JsonToken.END_ARRAY) {
      array.add(value(parser, path + "[" + array.size() + "]", problems));
    }
    return array;
  }

  private static String describe(JsonProcessingException e) {
    String where =
        e.getLocation() == null
            ? ""
            : " at line "
                + e.getLocation().getLineNr()
                + ", column "
                + e.getLocation().getColumnNr();
    // SnakeYAML's full message quotes the offending line, which may hold a secret. Its problem
    // mark is where the offending character is (a tab, say); Jackson's location is the end of the
    // last good token, often on the line before.
    if (e.getCause() instanceof MarkedYAMLException marked && marked.getProblem() != null) {
      Mark mark = marked.getProblemMark();
      String at =
          mark == null
              ? where
              : " at line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1);
      return "is not valid YAML: " + marked.getProblem() + at;
    }
    return "is not valid YAML: " + e.getOriginalMessage().lines().findFirst().orElse("") + where;
  }
}
