package openapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.ConfigLoader;
import contract.ConfigKeys;
import http.ApiContract;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.List;
import node.BoundPorts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import support.ApiClients;
import support.Await;
import support.TestClock;
import support.TestInfra;
import verticles.HttpApiVerticle;

/**
 * The routes the HTTP API verticle really serves and the operations of openapi.yaml are the same,
 * both ways. A route added without its operation, or an operation left behind by a removed route,
 * fails here with every such operation named, ready to be written into the contract.
 */
@Tag("integration")
class ContractSyncTest {
  private static Vertx vertx;
  private static ApiContract contract;

  @BeforeAll
  static void loadContract() {
    vertx = Vertx.vertx();
    contract = Await.result(ApiContract.load(vertx));
  }

  @AfterAll
  static void close() {
    Await.result(vertx.close());
  }

  /**
   * The verticle as the service deploys it (the declared defaults), against the real test servers.
   */
  private static HttpApiVerticle deployApi(JsonObject overrides) {
    JsonObject config =
        Await.result(
            ConfigLoader.load(
                vertx, TestInfra.config().mergeIn(overrides).put(ConfigKeys.HTTP_PORT, 0)));
    HttpApiVerticle api = new HttpApiVerticle(TestClock.CLOCK);
    Await.result(vertx.deployVerticle(api, new DeploymentOptions().setConfig(config)));
    return api;
  }

  @Test
  void everyRouteIsInTheContractAndEveryOperationIsRouted() {
    HttpApiVerticle api = deployApi(new JsonObject());
    try {
      List<String> disagreements = contract.disagreements(api.routes());
      assertEquals(
          List.of(),
          disagreements,
          () ->
              "The routes and "
                  + ApiContract.RESOURCE
                  + " disagree; each of "
                  + "these needs its operation added to (or removed from) src/main/resources/"
                  + ApiContract.RESOURCE
                  + ":\n  "
                  + String.join("\n  ", disagreements));
    } finally {
      Await.result(vertx.undeploy(api.deploymentID()));
    }
  }

  /**
   * The check itself: a stray route and an operation without a route are both named; prefix routes
   * are not.
   */
  @Test
  void aRouteMissingFromTheContractAndAnOperationWithoutARouteAreBothNamed() {
    Router router = Router.router(vertx);
    router.route().handler(ctx -> ctx.next());
    router.get("/api/v1/trades").handler(ctx -> ctx.end());
    router.get("/api/v1/trades/:tradeId").handler(ctx -> ctx.end());
    router.put("/api/v1/trades/:tradeId").handler(ctx -> ctx.end());
    router.get("/assets/*").handler(ctx -> ctx.end());

    List<String> disagreements = contract.disagreements(router.getRoutes());

    assertTrue(
        disagreements.contains("PUT /api/v1/trades/{tradeId} is routed but not in openapi.yaml"),
        () -> String.join("\n", disagreements));
    assertTrue(
        disagreements.contains("POST /api/v1/trades is in openapi.yaml but not routed"),
        () -> String.join("\n", disagreements));
    assertTrue(
        disagreements.contains("DELETE /api/v1/trades/{tradeId} is in openapi.yaml but not routed"),
        () -> String.join("\n", disagreements));
    assertTrue(
        disagreements.stream()
            .noneMatch(
                line ->
                    line.startsWith("GET /api/v1/trades ")
                        || line.startsWith("GET /api/v1/trades/{tradeId} ")
                        || line.contains("/assets")),
        () -> String.join("\n", disagreements));
  }

  /**
   * Disabled docs keep their route (so routes and contract still agree), answering 404; the
   * contract stays served.
   */
  @Test
  void docsCanBeDisabledByConfig() {
    HttpApiVerticle api = deployApi(new JsonObject().put(ConfigKeys.DOCS_ENABLED, false));
    WebClient client =
        ApiClients.webClient(
            vertx,
            new WebClientOptions()
                .setDefaultHost("127.0.0.1")
                .setDefaultPort(BoundPorts.all(vertx).get(ConfigKeys.HTTP_PORT)));
    try {
      assertEquals(List.of(), contract.disagreements(api.routes()));
      HttpResponse<Buffer> docs = Await.result(client.get("/docs").send());
      assertEquals(404, docs.statusCode());
      assertEquals("NOT_FOUND", docs.bodyAsJsonObject().getString("error"));
      assertEquals(404, Await.result(client.get("/docs/swagger-ui-bundle.js").send()).statusCode());
      assertEquals(200, Await.result(client.get(ApiContract.PATH).send()).statusCode());
    } finally {
      client.close();
      Await.result(vertx.undeploy(api.deploymentID()));
    }
  }
}
