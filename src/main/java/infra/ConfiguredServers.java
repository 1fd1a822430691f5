package infra;

import io.vertx.core.json.JsonObject;

/** Outside dev mode: every server is configured, and nothing here starts or stops one. */
public final class ConfiguredServers implements Infrastructure {
  public static final ConfiguredServers INSTANCE = new ConfiguredServers();

  private ConfiguredServers() {}

  @Override
  public JsonObject connectionConfig() {
    return new JsonObject();
  }

  @Override
  public void stopKafka() {
    throw notEmbedded();
  }

  @Override
  public void startKafka() {
    throw notEmbedded();
  }

  @Override
  public void stopPostgres() {
    throw notEmbedded();
  }

  @Override
  public void killPostgres() {
    throw notEmbedded();
  }

  @Override
  public void startPostgres() {
    throw notEmbedded();
  }

  @Override
  public void stopRedis() {
    throw notEmbedded();
  }

  @Override
  public void startRedis() {
    throw notEmbedded();
  }

  @Override
  public void stopMongo() {
    throw notEmbedded();
  }

  @Override
  public void startMongo() {
    throw notEmbedded();
  }

  @Override
  public void close() {
    // nothing was started
  }

  private static UnsupportedOperationException notEmbedded() {
    return new UnsupportedOperationException(
        "the servers are configured, not embedded: nothing to stop or start");
  }
}
