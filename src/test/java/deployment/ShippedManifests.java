package deployment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.Yaml;

/**
 * The environment the files under {@code deploy/} give each node, read as their tools read them:
 * Kubernetes' ConfigMap, Secret and per-Deployment variables, and Compose's shared {@code
 * x-app-env} block merged into each service's own. A value the platform fills in at run time
 * ({@code valueFrom}) is left out.
 */
final class ShippedManifests {
  /** One kind of node (a Deployment, a Compose service) and its environment. */
  record Node(String name, Map<String, String> environment) {
    String roles() {
      return environment.get("ROLES");
    }
  }

  private static final Path K8S = Path.of("deploy", "k8s");
  private static final Path COMPOSE = Path.of("deploy", "docker-compose.yml");

  private ShippedManifests() {}

  /** The edge (api) and the workers (consumers) Deployments. */
  static List<Node> kubernetes() {
    Map<String, String> shared =
        new LinkedHashMap<>(strings(section(load(K8S.resolve("configmap.yaml")), "data")));
    shared.putAll(strings(section(load(K8S.resolve("secret.yaml")), "stringData")));
    return List.of(deployment("api", shared), deployment("consumers", shared));
  }

  /** The edge ({@code api}) and the workers ({@code workers}) services. */
  static List<Node> compose() {
    Map<String, Object> services = section(load(COMPOSE), "services");
    return List.of(service(services, "api"), service(services, "workers"));
  }

  private static Node deployment(String name, Map<String, String> shared) {
    Map<String, Object> manifest = load(K8S.resolve("deployment-" + name + ".yaml"));
    Map<String, Object> container =
        list(section(section(section(manifest, "spec"), "template"), "spec"), "containers").get(0);
    Map<String, String> environment = new LinkedHashMap<>(shared);
    for (Map<String, Object> variable : list(container, "env")) {
      if (variable.containsKey("value")) {
        environment.put((String) variable.get("name"), String.valueOf(variable.get("value")));
      }
    }
    return new Node(name, environment);
  }

  private static Node service(Map<String, Object> services, String name) {
    return new Node(name, strings(section(section(services, name), "environment")));
  }

  private static Map<String, Object> load(Path file) {
    try {
      return new Yaml().load(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> section(Map<String, Object> parent, String key) {
    Object child = parent.get(key);
    if (!(child instanceof Map)) {
      throw new AssertionError("no mapping '" + key + "' in " + parent.keySet());
    }
    return (Map<String, Object>) child;
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> list(Map<String, Object> parent, String key) {
    Object child = parent.get(key);
    if (!(child instanceof List)) {
      throw new AssertionError("no list '" + key + "' in " + parent.keySet());
    }
    return (List<Map<String, Object>>) child;
  }

  private static Map<String, String> strings(Map<String, Object> values) {
    Map<String, String> strings = new LinkedHashMap<>();
    values.forEach((key, value) -> strings.put(key, String.valueOf(value)));
    return strings;
  }
}
