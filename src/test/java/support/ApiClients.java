package support;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.ext.web.client.WebClientSession;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.concurrent.TimeUnit;

/**
 * Every HTTP client the tests talk to a service with: each hands every answer it receives to {@link
 * ContractCheck}.
 *
 * <p>A WebClient cannot be given an HttpClient of ours (it needs Vert.x's internal one) and its
 * interceptors are internal API, so a checked WebClient is a proxy of the public {@link WebClient}
 * and {@link HttpRequest} interfaces: every call goes to the real client, the requests it makes are
 * proxied the same way, and each {@code send…} future's answer (the whole body, chunked or not) is
 * checked. A plain {@link HttpClient}, for requests a WebClient would not send as they are, is a
 * small delegate that tees each answer's body while the test reads it its own way.
 */
public final class ApiClients {
  private ApiClients() {}

  public static WebClient webClient(Vertx vertx) {
    return webClient(vertx, new WebClientOptions());
  }

  public static WebClient webClient(Vertx vertx, WebClientOptions options) {
    return checked(WebClient.create(vertx, options));
  }

  public static WebClient webClient(Vertx vertx, WebClientOptions options, PoolOptions pool) {
    return checked(WebClient.create(vertx, options, pool));
  }

  /** {@code client}, its answers checked. */
  public static WebClient checked(WebClient client) {
    return Proxy.isProxyClass(client.getClass())
            && Proxy.getInvocationHandler(client) instanceof CheckedClient
        ? client
        : proxy(WebClient.class, new CheckedClient(client));
  }

  /**
   * {@code client}, sending {@code value} as its {@code name} header with every request (a {@link
   * WebClientSession}): still checked when {@code client} was.
   */
  public static WebClient withHeader(WebClient client, String name, String value) {
    if (Proxy.isProxyClass(client.getClass())
        && Proxy.getInvocationHandler(client) instanceof CheckedClient checked) {
      return checked(WebClientSession.create(checked.client()).addHeader(name, value));
    }
    return WebClientSession.create(client).addHeader(name, value);
  }

  public static HttpClient httpClient(Vertx vertx) {
    return new CheckedHttpClient(vertx.createHttpClient());
  }

  public static HttpClient httpClient(Vertx vertx, HttpClientOptions options, PoolOptions pool) {
    return new CheckedHttpClient(vertx.createHttpClient(options, pool));
  }

  @SuppressWarnings("unchecked")
  private static <T> T proxy(Class<T> type, InvocationHandler handler) {
    return (T)
        Proxy.newProxyInstance(ApiClients.class.getClassLoader(), new Class<?>[] {type}, handler);
  }

  /** Calls {@code method} on the real object, unwrapping what it threw. */
  private static Object call(Object target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  /**
   * The WebClient's side: the requests it makes are checked requests; its fluent answers stay the
   * proxy.
   */
  private record CheckedClient(WebClient client) implements InvocationHandler {
    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      Object result = call(client, method, args);
      return result == client
          ? proxy
          : result instanceof HttpRequest<?> request
              ? proxy(HttpRequest.class, new CheckedRequest(request))
              : result;
    }
  }

  /**
   * One request: fluent calls keep the proxy, copies are proxied, and each send's answer is
   * checked.
   */
  private record CheckedRequest(HttpRequest<?> request) implements InvocationHandler {
    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      if (method.getName().equals("as")) {
        throw new UnsupportedOperationException(
            "the contract check reads the body as a Buffer: decode it yourself");
      }
      Object result = call(request, method, args);
      if (result == request) {
        return proxy;
      }
      if (result instanceof HttpRequest<?> copy) {
        return proxy(HttpRequest.class, new CheckedRequest(copy));
      }
      if (result instanceof Future<?> answer && method.getName().startsWith("send")) {
        answer.onSuccess(response -> check((HttpResponse<?>) response));
      }
      return result;
    }

    private void check(HttpResponse<?> response) {
      ContractCheck.observe(
          request.port(),
          request.method(),
          request.uri(),
          response.statusCode(),
          response.headers(),
          response.bodyAsBuffer());
    }
  }

  /**
   * A plain HttpClient whose answers' bodies are teed to the check: {@code body()} coexists with
   * any handler.
   */
  private record CheckedHttpClient(HttpClient client) implements HttpClient {
    @Override
    public Future<HttpClientRequest> request(RequestOptions options) {
      return client
          .request(options)
          .onSuccess(request -> request.response().onSuccess(response -> check(request, response)));
    }

    private static void check(HttpClientRequest request, HttpClientResponse response) {
      response
          .body()
          .onSuccess(
              body ->
                  ContractCheck.observe(
                      request.connection().remoteAddress().port(),
                      request.getMethod(),
                      request.getURI(),
                      response.statusCode(),
                      response.headers(),
                      body));
    }

    @Override
    public Future<Void> shutdown(long timeout, TimeUnit unit) {
      return client.shutdown(timeout, unit);
    }
  }
}
