package deployment;

import java.util.List;

/** The api and workers services of {@code deploy/docker-compose.yml}, with their shared environment. */
class ComposeFileIT extends ShippedClusterChecks {
  @Override
  List<ShippedManifests.Node> manifest() {
    return ShippedManifests.compose();
  }
}
