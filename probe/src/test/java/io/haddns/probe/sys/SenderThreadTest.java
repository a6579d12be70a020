package io.haddns.probe.sys;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SenderThreadTest {
  private final List<String> sent = new CopyOnWriteArrayList<>();
  private final List<String> refused = new CopyOnWriteArrayList<>();
  private final List<String> senders = new CopyOnWriteArrayList<>();

  @Test
  void sendsOnItsOwnThreadInTheOrderQueued() throws Exception {
    CountDownLatch three = new CountDownLatch(3);
    SenderThread<String> s =
        new SenderThread<>(
            "test-send",
            r -> {
              senders.add(Thread.currentThread().getName());
              sent.add(r);
              three.countDown();
            },
            refused::add);
    s.start();
    s.submit("a");
    s.submit("b");
    s.submit("c");

    assertThat(three.await(5, TimeUnit.SECONDS)).isTrue();
    s.stop();
    assertThat(sent).containsExactly("a", "b", "c");
    assertThat(senders).containsOnly("haddns-test-send");
    assertThat(refused).isEmpty();
  }

  @Test
  void refusesWhatIsStillQueuedWhenStoppedAndEverythingAfter() throws Exception {
    CountDownLatch busy = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    SenderThread<String> s =
        new SenderThread<>(
            "test-send",
            r -> {
              sent.add(r);
              busy.countDown();
              try {
                release.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            refused::add);
    s.start();
    s.submit("first");
    assertThat(busy.await(5, TimeUnit.SECONDS)).isTrue();
    s.submit("queued");
    Thread stopper = Thread.ofPlatform().start(s::stop);
    // stop() has marked the sender stopped once it waits for the busy thread to end.
    while (stopper.getState() != Thread.State.WAITING) {
      Thread.onSpinWait();
    }
    release.countDown();
    stopper.join();
    s.submit("late");

    assertThat(sent).containsExactly("first");
    assertThat(refused).containsExactly("queued", "late");
  }

  @Test
  void refusesARequestWhoseSendingThrewAndGoesOnWithTheNext() throws Exception {
    CountDownLatch next = new CountDownLatch(1);
    SenderThread<String> s =
        new SenderThread<>(
            "test-send",
            r -> {
              if (r.equals("bad")) {
                throw new IllegalStateException("broken request");
              }
              sent.add(r);
              next.countDown();
            },
            refused::add);
    s.start();
    s.submit("bad");
    s.submit("good");

    assertThat(next.await(5, TimeUnit.SECONDS)).isTrue();
    s.stop();
    assertThat(sent).containsExactly("good");
    assertThat(refused).containsExactly("bad");
  }
}
