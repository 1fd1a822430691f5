package http;

import io.vertx.core.file.FileSystem;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.SchemaException;
import io.vertx.json.schema.SchemaRepository;
import io.vertx.json.schema.Validator;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.OpenAPIVersion;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Path;
import io.vertx.openapi.contract.SecurityRequirement;
import io.vertx.openapi.contract.SecurityScheme;
import io.vertx.openapi.contract.Server;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The contract as vertx-openapi's request validator sees it, but with each schema's validator built
 * once. The library asks its schema repository for a new validator on every parameter and body it
 * checks, which copies and resolves the schema each time: in a profile of POST /api/v1/trades that
 * was 60 % of the service's CPU. A schema of the loaded contract never changes, so the validator of
 * every parameter and request body is built once, at load, and looked up by identity in a map that
 * is only read afterwards (no lock on the request path; a validator keeps no state between calls).
 * A schema not found there is validated uncached.
 */
final class CachedValidators {
  private CachedValidators() {}

  static OpenAPIContract around(OpenAPIContract contract) {
    SchemaRepository schemas = contract.getSchemaRepository();
    Map<JsonSchema, Validator> validators = new IdentityHashMap<>();
    for (Operation operation : contract.operations()) {
      operation
          .getParameters()
          .forEach(
              parameter -> validators.computeIfAbsent(parameter.getSchema(), schemas::validator));
      if (operation.getRequestBody() != null) {
        operation
            .getRequestBody()
            .getContent()
            .values()
            .forEach(
                mediaType -> validators.computeIfAbsent(mediaType.getSchema(), schemas::validator));
      }
    }
    return new Contract(contract, new Repository(schemas, validators));
  }

  private record Repository(SchemaRepository schemas, Map<JsonSchema, Validator> validators)
      implements SchemaRepository {
    @Override
    public Validator validator(JsonSchema schema) {
      Validator built = validators.get(schema);
      return built != null ? built : schemas.validator(schema);
    }

    @Override
    public SchemaRepository dereference(JsonSchema schema) throws SchemaException {
      return schemas.dereference(schema);
    }

    @Override
    public SchemaRepository dereference(String uri, JsonSchema schema) throws SchemaException {
      return schemas.dereference(uri, schema);
    }

    @Override
    public SchemaRepository preloadMetaSchema(FileSystem fs) {
      return schemas.preloadMetaSchema(fs);
    }

    @Override
    public SchemaRepository preloadMetaSchema(FileSystem fs, Draft draft) {
      return schemas.preloadMetaSchema(fs, draft);
    }

    @Override
    public Validator validator(String ref) {
      return schemas.validator(ref);
    }

    @Override
    public Validator validator(String ref, JsonSchemaOptions options) {
      return schemas.validator(ref, options);
    }

    @Override
    public Validator validator(JsonSchema schema, JsonSchemaOptions options, boolean dereference) {
      return schemas.validator(schema, options, dereference);
    }

    @Override
    public JsonObject resolve(JsonObject schema) {
      return schemas.resolve(schema);
    }

    @Override
    public JsonSchema find(String pointer) {
      return schemas.find(pointer);
    }
  }

  private record Contract(OpenAPIContract contract, SchemaRepository schemas)
      implements OpenAPIContract {
    @Override
    public SchemaRepository getSchemaRepository() {
      return schemas;
    }

    @Override
    public Operation operation(String operationId) {
      return contract.operation(operationId);
    }

    @Override
    public List<Operation> operations() {
      return contract.operations();
    }

    @Override
    public List<Path> getPaths() {
      return contract.getPaths();
    }

    @Override
    public JsonObject getRawContract() {
      return contract.getRawContract();
    }

    @Override
    public OpenAPIVersion getVersion() {
      return contract.getVersion();
    }

    @Override
    public List<Server> getServers() {
      return contract.getServers();
    }

    @Override
    public Path findPath(String urlPath) {
      return contract.findPath(urlPath);
    }

    @Override
    public Operation findOperation(String urlPath, HttpMethod method) {
      return contract.findOperation(urlPath, method);
    }

    @Override
    public List<SecurityRequirement> getSecurityRequirements() {
      return contract.getSecurityRequirements();
    }

    @Override
    public SecurityScheme securityScheme(String name) {
      return contract.securityScheme(name);
    }
  }
}
