package marketdata;

import app.Roles;
import contract.ConfigKeys;
import contract.Topics;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.ConsumerGroupState;
import support.Await;
import support.TestInfra;
import verticles.PriceConsumerVerticle;

/** The members of the price consumer group, to find the partition a newly started service owns. */
final class PriceGroup {
  private PriceGroup() {}

  static boolean consumes(JsonObject overrides) {
    return Roles.parse(overrides.getString(ConfigKeys.ROLES)).contains("prices");
  }

  static Set<String> members() {
    try (Admin admin = admin()) {
      return describe(admin).members().stream()
          .map(MemberDescription::consumerId)
          .collect(Collectors.toSet());
    }
  }

  /**
   * Waits for the group to settle with the new member holding a partition, and returns one of them.
   */
  static int awaitOwnPartition(Set<String> before) {
    AtomicReference<String> seen = new AtomicReference<>();
    try (Admin admin = admin()) {
      Await.until(
          "the new price consumer to own a raw_prices partition",
          MarketData.WAIT,
          () -> {
            ConsumerGroupDescription group = describe(admin);
            seen.set(String.valueOf(group));
            return group.state() == ConsumerGroupState.STABLE && ownPartition(group, before) >= 0;
          });
      return ownPartition(describe(admin), before);
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; group: " + seen.get(), e);
    }
  }

  private static int ownPartition(ConsumerGroupDescription group, Set<String> before) {
    return group.members().stream()
        .filter(m -> !before.contains(m.consumerId()))
        .flatMap(m -> m.assignment().topicPartitions().stream())
        .filter(tp -> tp.topic().equals(Topics.RAW_PRICES))
        .mapToInt(tp -> tp.partition())
        .min()
        .orElse(-1);
  }

  private static ConsumerGroupDescription describe(Admin admin) {
    try {
      return admin
          .describeConsumerGroups(Set.of(PriceConsumerVerticle.GROUP))
          .describedGroups()
          .get(PriceConsumerVerticle.GROUP)
          .get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("cannot describe " + PriceConsumerVerticle.GROUP, e);
    }
  }

  private static Admin admin() {
    return Admin.create(
        Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
            TestInfra.config().getString(ConfigKeys.KAFKA_BOOTSTRAP_SERVERS)));
  }
}
