package io.haddns.agent.detect;

import io.haddns.agent.report.AddressFamily;
import io.haddns.agent.report.IpAddress;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks several HTTPS echo services ("what is my address?") and accepts an answer only when at least
 * {@code quorum} services (default 2, never fewer: one source alone is never trusted) give the same
 * address and those form a strict majority of the services that answered at all: two services that
 * disagree (a load-balancing NAT, a hijacked answer) give no address. Services are asked one after
 * another; each family has its own list ({@link EchoUrls}).
 */
public final class HttpsEchoDetector implements IpDetector {
  private static final Logger log = LoggerFactory.getLogger(HttpsEchoDetector.class);

  /** The fewest agreeing sources ever accepted. */
  public static final int MIN_QUORUM = 2;

  private final EchoUrls urls;
  private final EchoFetcher fetcher;
  private final int quorum;
  private final PublicAddressFilter filter;
  private final EchoBodyParser parser = new EchoBodyParser();

  /**
   * @throws IllegalArgumentException naming {@code quorum} when it is below {@link #MIN_QUORUM}, or
   *     {@code urls} when a family has fewer services than the quorum
   */
  HttpsEchoDetector(EchoUrls urls, EchoFetcher fetcher, int quorum, PublicAddressFilter filter) {
    if (quorum < MIN_QUORUM) {
      throw new IllegalArgumentException(
          "quorum: must be at least "
              + MIN_QUORUM
              + " (an address needs two agreeing sources), got "
              + quorum);
    }
    for (AddressFamily family : AddressFamily.values()) {
      if (urls.of(family).size() < quorum) {
        throw new IllegalArgumentException(
            "urls: "
                + family.wireName()
                + " needs at least quorum="
                + quorum
                + " urls, got "
                + urls.of(family).size());
      }
    }
    this.urls = urls;
    this.fetcher = fetcher;
    this.quorum = quorum;
    this.filter = filter;
  }

  /** The production detector: HTTPS through {@link SocketHttpsFetcher}. */
  public static HttpsEchoDetector create(
      EchoUrls urls, SocketHttpsFetcher fetcher, int quorum, PublicAddressFilter filter) {
    return new HttpsEchoDetector(urls, fetcher, quorum, filter);
  }

  /** The services asked per family (for {@code haddns-agent detect} and tests). */
  public EchoUrls urls() {
    return urls;
  }

  @Override
  public String name() {
    return "https-echo";
  }

  @Override
  public Detection detect(AddressFamily family) {
    Map<IpAddress, List<URI>> votes = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    for (URI url : urls.of(family)) {
      Optional<IpAddress> answer = ask(url, family, problems);
      if (Thread.currentThread().isInterrupted()) {
        return new Detection.Failed("interrupted");
      }
      answer.ifPresent(a -> votes.computeIfAbsent(a, k -> new ArrayList<>()).add(url));
    }
    int answered = votes.values().stream().mapToInt(List::size).sum();
    for (Map.Entry<IpAddress, List<URI>> vote : votes.entrySet()) {
      int n = vote.getValue().size();
      if (n >= quorum && 2 * n > answered) {
        return new Detection.Found(List.of(vote.getKey()), name() + " " + vote.getValue());
      }
    }
    if (votes.size() > 1) {
      return new Detection.Failed("echo services disagree: " + votes.keySet() + " " + problems);
    }
    return new Detection.Failed(
        "fewer than " + quorum + " echo services agree (" + answered + " answered) " + problems);
  }

  private Optional<IpAddress> ask(URI url, AddressFamily family, List<String> problems) {
    try {
      IpAddress address = parser.parse(fetcher.fetch(url, family));
      if (address.family() != family) {
        problems.add(url + ": answered " + address.family().wireName());
        return Optional.empty();
      }
      Optional<String> rejection = filter.rejection(address);
      if (rejection.isPresent()) {
        problems.add(url + ": " + address + " is " + rejection.get());
        return Optional.empty();
      }
      return Optional.of(address);
    } catch (IOException | IllegalArgumentException e) {
      log.debug("url={} family={} no answer: {}", url, family.wireName(), e.toString());
      problems.add(url + ": " + e.getMessage());
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }
}
