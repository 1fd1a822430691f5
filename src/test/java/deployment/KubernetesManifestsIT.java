package deployment;

import java.util.List;
import org.junit.jupiter.api.Tag;

/** The edge and worker Deployments of {@code deploy/k8s}, with their ConfigMap and Secret. */
@Tag("integration")
class KubernetesManifestsIT extends ShippedClusterChecks {
  @Override
  List<ShippedManifests.Node> manifest() {
    return ShippedManifests.kubernetes();
  }
}
