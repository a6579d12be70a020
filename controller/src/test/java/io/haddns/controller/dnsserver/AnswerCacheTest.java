package io.haddns.controller.dnsserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AnswerCacheTest {
  private final AnswerCache cache = new AnswerCache(new Object());
  private final AtomicInteger computed = new AtomicInteger();

  /** A stand-in responder: the answer is the query with QR set, rcode 3 if it asks "nx". */
  private Optional<DnsResponder.Reply> respond(byte[] query) {
    computed.incrementAndGet();
    byte[] wire = query.clone();
    wire[2] |= (byte) 0x80;
    return Optional.of(new DnsResponder.Reply(wire, new String(query).contains("nx") ? 3 : 0));
  }

  private Optional<DnsResponder.Reply> ask(int id, String question, Transport transport) {
    byte[] query = query(id, question);
    return cache.answer(query, transport, () -> respond(query));
  }

  private static byte[] query(int id, String question) {
    byte[] q = ("..\u0001\u0000" + question).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    q[0] = (byte) (id >>> 8);
    q[1] = (byte) id;
    return q;
  }

  @Test
  void answersTheSameQuestionOnceAndWritesEachAskersId() {
    DnsResponder.Reply first = ask(0x1234, "www.example.", Transport.UDP).orElseThrow();
    DnsResponder.Reply second = ask(0xBEEF, "www.example.", Transport.UDP).orElseThrow();

    assertThat(computed).hasValue(1);
    assertThat(first.wire()[0]).isEqualTo((byte) 0x12);
    assertThat(first.wire()[1]).isEqualTo((byte) 0x34);
    assertThat(second.wire()[0]).isEqualTo((byte) 0xBE);
    assertThat(second.wire()[1]).isEqualTo((byte) 0xEF);
    assertThat(java.util.Arrays.copyOfRange(second.wire(), 2, second.wire().length))
        .isEqualTo(java.util.Arrays.copyOfRange(first.wire(), 2, first.wire().length));
  }

  @Test
  void keepsTheResponseCodeOfARememberedAnswer() {
    ask(1, "nx.example.", Transport.UDP);

    assertThat(ask(2, "nx.example.", Transport.UDP).orElseThrow().rcode()).isEqualTo(3);
    assertThat(computed).hasValue(1);
  }

  @Test
  void treatsAnotherLetterCaseOrTransportAsAnotherQuestion() {
    ask(1, "www.example.", Transport.UDP);
    ask(2, "WWW.example.", Transport.UDP);
    ask(3, "www.example.", Transport.TCP);

    assertThat(computed).hasValue(3);
  }

  @Test
  void handsOutACopySoOneAnswerCannotChangeTheNext() {
    ask(1, "www.example.", Transport.UDP).orElseThrow().wire()[5] = 42;

    assertThat(ask(2, "www.example.", Transport.UDP).orElseThrow().wire()[5]).isNotEqualTo(42);
  }

  @Test
  void doesNotRememberSendingNothing() {
    byte[] query = query(1, "response.");
    cache.answer(
        query,
        Transport.UDP,
        () -> {
          computed.incrementAndGet();
          return Optional.empty();
        });
    cache.answer(
        query,
        Transport.UDP,
        () -> {
          computed.incrementAndGet();
          return Optional.empty();
        });

    assertThat(computed).hasValue(2);
  }

  @Test
  void forgetsTheLeastRecentAnswersOnceTwoSegmentsAreFull() {
    ask(1, "first.example.", Transport.UDP);
    for (int i = 0; i < 2 * AnswerCache.SEGMENT; i++) {
      ask(1, "n" + i + ".example.", Transport.UDP);
    }
    int before = computed.get();

    ask(1, "first.example.", Transport.UDP);
    ask(1, "n" + (2 * AnswerCache.SEGMENT - 1) + ".example.", Transport.UDP);

    assertThat(computed.get() - before).as("first forgotten, the latest kept").isEqualTo(1);
  }

  @Test
  void keepsAnAnswerThatIsAskedForAgainWhileTheCacheTurnsOver() {
    ask(1, "hot.example.", Transport.UDP);
    for (int i = 0; i < 4 * AnswerCache.SEGMENT; i++) {
      ask(1, "n" + i + ".example.", Transport.UDP);
      if (i % (AnswerCache.SEGMENT / 2) == 0) {
        ask(1, "hot.example.", Transport.UDP);
      }
    }
    int before = computed.get();

    ask(1, "hot.example.", Transport.UDP);

    assertThat(computed.get()).isEqualTo(before);
  }

  @Test
  void answersALongQueryWithoutRememberingIt() {
    String longName = "a".repeat(AnswerCache.MAX_QUERY) + ".";
    ask(1, longName, Transport.TCP);
    ask(2, longName, Transport.TCP);

    assertThat(computed).hasValue(2);
  }
}
