package deployment;

import java.util.List;

/** The edge and worker Deployments of {@code deploy/k8s}, with their ConfigMap and Secret. */
class KubernetesManifestsIT extends ShippedClusterChecks {
  @Override
  List<ShippedManifests.Node> manifest() {
    return ShippedManifests.kubernetes();
  }
}
