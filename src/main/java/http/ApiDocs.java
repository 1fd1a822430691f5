package http;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * Swagger UI at /docs for the contract at {@value ApiContract#PATH}, served by this service from
 * the swagger-ui webjar (no CDN). Our page and initializer (apidocs/) come first, so the webjar's
 * initializer, which points at an outside demo document, is never served. With DOCS_ENABLED=false,
 * /docs answers 404 like an unknown path (it stays routed, so the routes still match the contract)
 * and no asset is served.
 */
public final class ApiDocs implements RouteModule {
  private static final String PATH = "/docs";
  private static final String PAGE_DIR = "apidocs";
  private static final String WEBJAR_DIR = "META-INF/resources/webjars/swagger-ui/";
  private static final String WEBJAR_PROPERTIES =
      "META-INF/maven/org.webjars/swagger-ui/pom.properties";

  private final String assets;

  private ApiDocs(String assets) {
    this.assets = assets;
  }

  /**
   * The webjar's files sit under its version: read it once, at startup, from the jar's own
   * pom.properties.
   */
  public static Future<RouteModule> load(Vertx vertx, boolean enabled) {
    if (!enabled) {
      return Future.succeededFuture(
          (router, body) -> router.get(PATH).handler(ctx -> ctx.fail(404)));
    }
    return vertx
        .fileSystem()
        .readFile(WEBJAR_PROPERTIES)
        .map(properties -> new ApiDocs(WEBJAR_DIR + version(properties)));
  }

  private static String version(Buffer pomProperties) {
    Properties properties = new Properties();
    try {
      properties.load(new StringReader(pomProperties.toString()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return properties.getProperty("version");
  }

  @Override
  public void mount(Router router, BodyHandler body) {
    router
        .get(PATH)
        .handler(
            ctx ->
                ctx.response()
                    .putHeader("content-type", "text/html; charset=utf-8")
                    .sendFile(PAGE_DIR + "/index.html")
                    .onFailure(ctx::fail));
    // A static handler passes a file it does not have to the next one
    router
        .get(PATH + "/*")
        .handler(StaticHandler.create(PAGE_DIR).setCachingEnabled(false))
        .handler(StaticHandler.create(assets));
  }
}
