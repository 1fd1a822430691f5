package http;

import domain.ErrorCode;
import domain.Fields;
import domain.Violation;
import io.vertx.json.schema.OutputUnit;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Parameter;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.ValidatorErrorType;
import io.vertx.openapi.validation.ValidatorException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns vertx-openapi's validation failures into the 400 answers every other refusal gets:
 * INVALID_PARAMETER naming the parameter, or MISSING_FIELD / INVALID_FIELD naming the body property
 * by its path ({@code positions.0.symbol}), as the domain parsers do.
 */
final class ContractViolations {
  /** The library names a parameter only in its messages: "... query parameter size ...". */
  private static final Pattern PARAMETER =
      Pattern.compile("\\b(?:cookie|header|path|query) parameter (\\S+?)\\.?(?:\\s|$)");

  private static final Pattern QUOTED = Pattern.compile("\"(.*)\"");

  /**
   * Keywords that only wrap the errors of a part of the instance; the error to report is inside
   * them.
   */
  private static final Pattern WRAPPER =
      Pattern.compile(
          "/(?:properties|additionalProperties|patternProperties|items|"
              + "prefixItems|\\$ref|\\$dynamicRef|allOf|anyOf|oneOf)$");

  private static final int MAX_REASON = 200;

  private ContractViolations() {}

  static ApiException of(ValidatorException failure, Operation operation) {
    Optional<Parameter> parameter = parameterNamedIn(failure, operation);
    if (parameter.isPresent()) {
      return ApiException.badParameter(
          parameter.get().getName(), parameterMessage(parameter.get(), failure));
    }
    if (failure instanceof SchemaValidationException schema && schema.getOutputUnit() != null) {
      return bodyViolation(schema.getOutputUnit());
    }
    // e.g. a query value that still holds a bad percent escape once decoded: the library decodes
    // values twice
    return new ApiException(
        400, Violation.of(ErrorCode.INVALID_PARAMETER, null, abbreviate(failure.getMessage())));
  }

  private static Optional<Parameter> parameterNamedIn(
      ValidatorException failure, Operation operation) {
    Matcher named = PARAMETER.matcher(String.valueOf(failure.getMessage()));
    if (!named.find()) {
      return Optional.empty();
    }
    return operation.getParameters().stream()
        .filter(p -> p.getName().equals(named.group(1)))
        .findFirst();
  }

  private static String parameterMessage(Parameter parameter, ValidatorException failure) {
    if (failure.type() == ValidatorErrorType.MISSING_REQUIRED_PARAMETER) {
      return parameter.getName() + " is required";
    }
    String reason =
        failure instanceof SchemaValidationException schema && schema.getOutputUnit() != null
            ? reason(schema.getOutputUnit()).getError()
            : failure.getMessage();
    return parameter.getName() + " is invalid: " + abbreviate(reason);
  }

  private static ApiException bodyViolation(OutputUnit result) {
    List<OutputUnit> errors = result.getErrors() == null ? List.of(result) : result.getErrors();
    Optional<OutputUnit> leaf =
        errors.stream().filter(e -> !WRAPPER.matcher(keyword(e)).find()).findFirst();
    if (leaf.isPresent()) {
      return leafViolation(leaf.get());
    }
    // only wrappers: a property that additionalProperties: false refuses, whose schema (false)
    // reports nothing
    return errors.stream()
        .filter(e -> keyword(e).endsWith("/additionalProperties"))
        .findFirst()
        .map(ContractViolations::unknownProperty)
        .orElseGet(() -> leafViolation(errors.get(errors.size() - 1)));
  }

  private static ApiException unknownProperty(OutputUnit error) {
    String field = field(error.getInstanceLocation());
    return invalid(field, field + " is not a property of this request body");
  }

  private static ApiException leafViolation(OutputUnit error) {
    String at = field(error.getInstanceLocation());
    if (keyword(error).endsWith("/required")) {
      Matcher missing = QUOTED.matcher(error.getError());
      String field = join(at, missing.find() ? missing.group(1) : null);
      return new ApiException(
          400, Violation.of(ErrorCode.MISSING_FIELD, field, field + " is required"));
    }
    return invalid(
        at, (at == null ? "the body" : at) + " is invalid: " + abbreviate(error.getError()));
  }

  /** The innermost error: the library lists the wrapping ones first. */
  private static OutputUnit reason(OutputUnit result) {
    List<OutputUnit> errors = result.getErrors();
    return errors == null || errors.isEmpty() ? result : errors.get(errors.size() - 1);
  }

  private static ApiException invalid(String field, String message) {
    return new ApiException(400, Violation.of(ErrorCode.INVALID_FIELD, field, message));
  }

  private static String keyword(OutputUnit error) {
    return String.valueOf(error.getKeywordLocation());
  }

  private static String join(String parent, String name) {
    return parent == null ? name : name == null ? parent : parent + "." + name;
  }

  /**
   * The JSON pointer of a property ({@code #/positions/0/symbol}) as a dotted path; null for the
   * body itself. Each segment is escaped with {@code ~0} and {@code ~1}, then percent-encoded
   * beyond URL-safe characters.
   */
  static String field(String pointer) {
    if (pointer == null || pointer.equals("#") || pointer.isEmpty()) {
      return null;
    }
    StringJoiner path = new StringJoiner(".");
    for (String segment : pointer.replaceFirst("^#?/", "").split("/", -1)) {
      path.add(percentDecoded(segment).replace("~1", "/").replace("~0", "~"));
    }
    return Fields.abbreviate(path.toString());
  }

  private static String percentDecoded(String segment) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(segment.length());
    for (int i = 0; i < segment.length(); i++) {
      char c = segment.charAt(i);
      if (c == '%' && isHex(segment, i + 1) && isHex(segment, i + 2)) {
        bytes.write(Integer.parseInt(segment.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        bytes.write(c); // the encoder leaves only ASCII unescaped
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static boolean isHex(String text, int index) {
    return index < text.length() && Character.digit(text.charAt(index), 16) >= 0;
  }

  private static String abbreviate(String text) {
    return text == null || text.length() <= MAX_REASON ? text : text.substring(0, MAX_REASON) + "…";
  }
}
