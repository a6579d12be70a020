package io.haddns.controller.provider.rfc2136;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;

/** Answers messages from a script, in order, and records what was sent. No sockets. */
final class ScriptedExchange implements Rfc2136Client.Exchange {

  /** One scripted answer. */
  @FunctionalInterface
  interface Answer {
    Message to(Message query) throws IOException;
  }

  private final Deque<Answer> script = new ArrayDeque<>();
  final List<Message> sent = new ArrayList<>();

  ScriptedExchange then(Answer answer) {
    script.add(answer);
    return this;
  }

  /** The fence query's answer: the TXT record, or NXDOMAIN when empty. */
  ScriptedExchange thenFence(Optional<Long> epoch) {
    return then(
        q -> {
          Message m = reply(q, epoch.isPresent() ? Rcode.NOERROR : Rcode.NXDOMAIN);
          epoch.ifPresent(
              e ->
                  m.addRecord(
                      new TXTRecord(
                          Name.fromConstantString("_haddns-fence.example.com."),
                          DClass.IN,
                          60,
                          "epoch=" + e),
                      Section.ANSWER));
          return m;
        });
  }

  ScriptedExchange thenRcode(int rcode) {
    return then(q -> reply(q, rcode));
  }

  ScriptedExchange thenFail(IOException e) {
    return then(
        q -> {
          throw e;
        });
  }

  List<Message> updates() {
    return sent.stream().filter(m -> m.getHeader().getOpcode() == Opcode.UPDATE).toList();
  }

  @Override
  public Message exchange(Message query) throws IOException {
    sent.add(query);
    Answer next = script.poll();
    if (next == null) {
      throw new AssertionError("unscripted message sent:\n" + query);
    }
    return next.to(query);
  }

  private static Message reply(Message query, int rcode) {
    Message m = new Message(query.getHeader().getID());
    m.getHeader().setFlag(Flags.QR);
    m.getHeader().setOpcode(query.getHeader().getOpcode());
    m.getHeader().setRcode(rcode);
    m.addRecord(query.getQuestion(), Section.QUESTION);
    return m;
  }
}
