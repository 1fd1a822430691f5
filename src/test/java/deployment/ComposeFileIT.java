package deployment;

import java.util.List;
import org.junit.jupiter.api.Tag;

/**
 * The api and workers services of {@code deploy/docker-compose.yml}, with their shared environment.
 */
@Tag("integration")
class ComposeFileIT extends ShippedClusterChecks {
  @Override
  List<ShippedManifests.Node> manifest() {
    return ShippedManifests.compose();
  }
}
