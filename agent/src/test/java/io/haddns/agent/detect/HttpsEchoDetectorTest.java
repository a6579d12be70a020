package io.haddns.agent.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.haddns.agent.report.AddressFamily;
import io.haddns.agent.report.IpAddress;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpsEchoDetectorTest {
  private static final URI A = URI.create("https://a.example/");
  private static final URI B = URI.create("https://b.example/");
  private static final URI C = URI.create("https://c.example/");

  private static HttpsEchoDetector detector(Map<URI, Object> answers) {
    EchoFetcher fetcher =
        (url, family) -> {
          Object answer = answers.get(url);
          if (answer instanceof IOException e) {
            throw e;
          }
          return (String) answer;
        };
    return new HttpsEchoDetector(
        EchoUrls.both(List.copyOf(answers.keySet())), fetcher, 2, new PublicAddressFilter(false));
  }

  @Test
  void refusesAQuorumOfOneNamingTheField() {
    assertThatThrownBy(
            () ->
                new HttpsEchoDetector(
                    EchoUrls.both(List.of(A, B)),
                    (url, family) -> "8.8.4.4",
                    1,
                    new PublicAddressFilter(false)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("quorum:")
        .hasMessageContaining("at least 2");
  }

  @Test
  void refusesAFamilyWithFewerServicesThanTheQuorum() {
    assertThatThrownBy(
            () ->
                new HttpsEchoDetector(
                    new EchoUrls(List.of(A, B), List.of(C)),
                    (url, family) -> "8.8.4.4",
                    2,
                    new PublicAddressFilter(false)))
        .hasMessageStartingWith("urls: ipv6 needs at least quorum=2");
  }

  @Test
  void asksOnlyTheServicesOfTheWantedFamily() {
    List<URI> asked = new java.util.ArrayList<>();
    HttpsEchoDetector d =
        new HttpsEchoDetector(
            new EchoUrls(List.of(A, B), List.of(B, C)),
            (url, family) -> {
              asked.add(url);
              return "2a00:1450:4001::1";
            },
            2,
            new PublicAddressFilter(false));

    Detection found = d.detect(AddressFamily.IPV6);

    assertThat(asked).containsExactly(B, C);
    assertThat(((Detection.Found) found).addresses())
        .containsExactly(IpAddress.parse("2a00:1450:4001::1"));
  }

  @Test
  void defaultServicesAreHttpsAndEnoughForTheQuorumInEachFamily() {
    for (AddressFamily family : AddressFamily.values()) {
      assertThat(EchoUrls.DEFAULTS.of(family))
          .hasSizeGreaterThanOrEqualTo(3)
          .allMatch(u -> u.getScheme().equals("https"))
          .extracting(URI::getHost)
          .doesNotHaveDuplicates();
    }
    assertThat(EchoUrls.DEFAULTS.ipv6()).doesNotContainAnyElementsOf(EchoUrls.DEFAULTS.ipv4());
  }

  @Test
  void acceptsAnAddressTwoServicesAgreeOn() {
    Detection d =
        detector(Map.of(A, "8.8.4.4\n", B, "{\"ip\":\"8.8.4.4\"}")).detect(AddressFamily.IPV4);

    assertThat(d).isInstanceOf(Detection.Found.class);
    assertThat(((Detection.Found) d).addresses()).containsExactly(IpAddress.parse("8.8.4.4"));
  }

  @Test
  void twoServicesThatDisagreeGiveNoAddress() {
    Detection d = detector(Map.of(A, "8.8.4.4", B, "8.8.8.8")).detect(AddressFamily.IPV4);

    assertThat(d).isInstanceOf(Detection.Failed.class);
    assertThat(((Detection.Failed) d).reason()).contains("disagree");
  }

  @Test
  void oneAnswerIsNotEnough() {
    Detection d =
        detector(Map.of(A, "8.8.4.4", B, new IOException("timeout"))).detect(AddressFamily.IPV4);

    assertThat(d).isInstanceOf(Detection.Failed.class);
  }

  @Test
  void aMajorityOfThreeWins() {
    Detection d =
        detector(Map.of(A, "8.8.4.4", B, "8.8.8.8", C, "8.8.4.4")).detect(AddressFamily.IPV4);

    assertThat(d).isInstanceOf(Detection.Found.class);
  }

  @Test
  void privateAnswersDoNotCount() {
    Detection d = detector(Map.of(A, "10.0.0.1", B, "10.0.0.1")).detect(AddressFamily.IPV4);

    assertThat(d).isInstanceOf(Detection.Failed.class);
    assertThat(((Detection.Failed) d).reason()).contains("RFC 1918");
  }

  @Test
  void anAnswerOfTheOtherFamilyDoesNotCount() {
    Detection d = detector(Map.of(A, "2a00:1450::1", B, "2a00:1450::1")).detect(AddressFamily.IPV4);

    assertThat(d).isInstanceOf(Detection.Failed.class);
  }

  @Test
  void htmlFromACaptivePortalDoesNotCount() {
    Detection d =
        detector(Map.of(A, "<html>login</html>", B, "<html>login</html>"))
            .detect(AddressFamily.IPV4);

    assertThat(d).isInstanceOf(Detection.Failed.class);
  }
}
