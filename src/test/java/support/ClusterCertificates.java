package support;

import contract.ConfigKeys;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway CA and a node certificate it signed, made with openssl for the clustered tests, as an
 * operator's would be: EC keys, PEM, the certificate good as server and as client (the bus
 * authenticates both ends).
 */
public final class ClusterCertificates {
  private final Path directory;

  private ClusterCertificates(Path directory) {
    this.directory = directory;
  }

  /** A CA named {@code name} under target/cluster-ca/, and one node certificate of it. */
  public static ClusterCertificates create(String name) {
    Path directory = Path.of("target", "cluster-ca", name).toAbsolutePath();
    try {
      Files.createDirectories(directory);
      Files.writeString(
          directory.resolve("node.ext"),
          "subjectAltName=IP:127.0.0.1\n" + "extendedKeyUsage=serverAuth,clientAuth\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ClusterCertificates certificates = new ClusterCertificates(directory);
    certificates.openssl(
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-keyout",
        "ca.key",
        "-out",
        "ca.crt",
        "-days",
        "7",
        "-subj",
        "/CN=" + name + "-ca");
    certificates.openssl(
        "req",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-keyout",
        "node.key",
        "-out",
        "node.csr",
        "-subj",
        "/CN=" + name + "-node");
    certificates.openssl(
        "x509",
        "-req",
        "-in",
        "node.csr",
        "-CA",
        "ca.crt",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "node.crt",
        "-days",
        "7",
        "-extfile",
        "node.ext");
    return certificates;
  }

  /** EVENTBUS_TLS_CERT_PATH, EVENTBUS_TLS_KEY_PATH and EVENTBUS_TLS_CA_PATH. */
  public JsonObject settings() {
    return new JsonObject()
        .put(ConfigKeys.EVENTBUS_TLS_CERT_PATH, directory.resolve("node.crt").toString())
        .put(ConfigKeys.EVENTBUS_TLS_KEY_PATH, directory.resolve("node.key").toString())
        .put(ConfigKeys.EVENTBUS_TLS_CA_PATH, directory.resolve("ca.crt").toString());
  }

  private void openssl(String... arguments) {
    List<String> command = new java.util.ArrayList<>(List.of("openssl"));
    command.addAll(List.of(arguments));
    try {
      Process process =
          new ProcessBuilder(command)
              .directory(directory.toFile())
              .redirectErrorStream(true)
              .start();
      String output = new String(process.getInputStream().readAllBytes());
      if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException(
            "openssl " + String.join(" ", arguments) + " failed: " + output);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "openssl is needed for the cluster's test certificates (deploy/ensure-tools.sh)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
