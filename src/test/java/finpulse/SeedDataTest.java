package finpulse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import resources.FinPulse;
import resources.Resource;
import support.ServiceUnderTest;

/**
 * The seed-data command fills every resource through the batch endpoints, and every row it reports
 * is stored.
 */
@Tag("integration")
class SeedDataTest {
  @RegisterExtension static final ServiceUnderTest service = ServiceUnderTest.perClass();

  @Test
  void everyResourceIsSeeded() {
    Map<String, List<String>> seeded = new SeedData(service.http, 7).seed(250);
    assertEquals(18, seeded.size());
    for (Resource resource : FinPulse.ALL) {
      List<String> ids = seeded.get(resource.name());
      assertEquals(250, ids.size(), resource.name());
      assertEquals(
          250L,
          service
              .sql(
                  "SELECT count(*) FROM "
                      + resource.table()
                      + " WHERE "
                      + resource.id()
                      + " = ANY($1)",
                  (Object) ids.toArray(new String[0]))
              .iterator()
              .next()
              .getLong(0),
          resource.name());
    }
  }
}
