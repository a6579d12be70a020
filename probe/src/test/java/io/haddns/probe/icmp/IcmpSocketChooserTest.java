package io.haddns.probe.icmp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.jna.LastErrorException;
import io.haddns.probe.sys.LibC;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class IcmpSocketChooserTest {
  private final List<Integer> types = new ArrayList<>();

  private IcmpSocketChooser chooser(boolean pingAllowed, boolean rawAllowed) {
    return new IcmpSocketChooser(
        (domain, type, protocol) -> {
          int kind = type & 0xf;
          types.add(kind);
          if (kind == LibC.SOCK_DGRAM && !pingAllowed) {
            throw new LastErrorException(LibC.EACCES);
          }
          if (kind == LibC.SOCK_RAW && !rawAllowed) {
            throw new LastErrorException(LibC.EPERM);
          }
          return 7;
        });
  }

  @Test
  void prefersAPingSocket() {
    assertThat(chooser(true, true).choose(false, null).mode()).isEqualTo(IcmpMode.PING_SOCKET);
    assertThat(types).containsExactly(LibC.SOCK_DGRAM);
  }

  @Test
  void fallsBackToARawSocketWhenPingSocketsAreNotAllowed() {
    assertThat(chooser(false, true).choose(false, null).mode()).isEqualTo(IcmpMode.RAW);
    assertThat(types).containsExactly(LibC.SOCK_DGRAM, LibC.SOCK_RAW);
  }

  @Test
  void opensOnlyTheForcedKind() {
    assertThat(chooser(true, true).choose(true, IcmpMode.RAW).mode()).isEqualTo(IcmpMode.RAW);
    assertThat(types).containsExactly(LibC.SOCK_RAW);
  }

  @Test
  void namesTheSysctlAndTheCapabilityWhenNeitherIsPermitted() {
    assertThatThrownBy(() -> chooser(false, false).choose(false, null))
        .isInstanceOf(IcmpUnavailableException.class)
        .hasMessageContaining("net.ipv4.ping_group_range")
        .hasMessageContaining("CAP_NET_RAW")
        .hasMessageContaining("EACCES")
        .hasMessageContaining("EPERM");
  }
}
