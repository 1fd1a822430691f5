package finpulse;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import resources.Field;
import resources.FinPulse;
import resources.Resource;
import support.ApiClients;
import support.Await;

/**
 * Fills every FinPulse resource through its batch endpoint, parents first, as seed 003's generator
 * does: for demos and benchmarks. Values come from the descriptions alone (a value of each field's
 * type; a reference picks one of the parents seeded before), so a new resource is seeded without a
 * change here.
 *
 * <pre>deploy/seed-finpulse.sh [http://127.0.0.1:8080] [rows per resource, default 100]</pre>
 */
public final class SeedData {
  private static final int BATCH = 200;

  private final WebClient http;
  private final Random random;
  private final Map<String, List<String>> ids = new LinkedHashMap<>();

  SeedData(WebClient http, long seed) {
    this.http = http;
    this.random = new Random(seed);
  }

  public static void main(String[] args) {
    URI base = URI.create(args.length > 0 ? args[0] : "http://127.0.0.1:8080");
    int rows = args.length > 1 ? Integer.parseInt(args[1]) : 100;
    Vertx vertx = Vertx.vertx();
    try {
      WebClient http =
          ApiClients.webClient(
              vertx,
              new io.vertx.ext.web.client.WebClientOptions()
                  .setDefaultHost(base.getHost())
                  .setDefaultPort(base.getPort()));
      long started = System.nanoTime();
      Map<String, List<String>> seeded = new SeedData(http, 42).seed(rows);
      seeded.forEach((name, created) -> System.out.printf("%-18s %6d%n", name, created.size()));
      System.out.printf(
          "seeded %d resources in %d ms%n",
          seeded.size(), (System.nanoTime() - started) / 1_000_000);
    } finally {
      Await.result(vertx.close());
    }
  }

  /**
   * Seeds {@code rows} entities of every resource, in the order of {@link FinPulse#ALL} (parents
   * first).
   */
  Map<String, List<String>> seed(int rows) {
    for (Resource resource : FinPulse.ALL) {
      List<String> created = new ArrayList<>();
      for (int from = 0; from < rows; from += BATCH) {
        created.addAll(Await.result(batch(resource, Math.min(BATCH, rows - from))));
      }
      ids.put(resource.name(), created);
    }
    return ids;
  }

  private Future<List<String>> batch(Resource resource, int size) {
    JsonArray items = new JsonArray();
    for (int i = 0; i < size; i++) {
      items.add(item(resource));
    }
    return http.post("/api/v1/" + resource.name() + "/batch")
        .sendJson(items)
        .map(response -> created(resource, response));
  }

  private static List<String> created(Resource resource, HttpResponse<Buffer> response) {
    if (response.statusCode() != 201) {
      throw new IllegalStateException(
          resource.name()
              + " batch refused: "
              + response.statusCode()
              + " "
              + response.bodyAsString());
    }
    return response.bodyAsJsonArray().stream()
        .map(entity -> ((JsonObject) entity).getString(resource.id()))
        .toList();
  }

  private JsonObject item(Resource resource) {
    JsonObject item = new JsonObject();
    if (!resource.idGenerated()) {
      item.put(resource.id(), Samples.unique(resource.name()));
    }
    for (Field field : resource.fields()) {
      if (!field.computed()) {
        item.put(
            field.name(), field.references() != null ? parent(field.references()) : value(field));
      }
    }
    return item;
  }

  private String parent(String resource) {
    List<String> parents = ids.get(resource);
    if (parents == null || parents.isEmpty()) {
      throw new IllegalStateException(resource + " must be seeded before what references it");
    }
    return parents.get(random.nextInt(parents.size()));
  }

  /**
   * The sample value of the field's type, with spread in the numbers so the analytics have
   * something to score.
   */
  private Object value(Field field) {
    return switch (field.type()) {
      case DECIMAL ->
          String.format(java.util.Locale.ROOT, "%.2f", Math.exp(4 + random.nextGaussian()));
      case CHOICE -> field.choices().get(random.nextInt(field.choices().size()));
      case INTEGER -> 1 + random.nextInt(100);
      case BOOLEAN -> random.nextBoolean();
      default -> Samples.value(field);
    };
  }
}
