package io.haddns.controller.provider.rfc2136;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.haddns.controller.provider.PermanentProviderException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.TXTRecord;

class FenceTest {
  private final Fence fence = new Fence("example.com", Name.fromConstantString("example.com."));

  @Test
  void livesAtTheFenceLabelOfTheZone() {
    assertThat(fence.name().toString()).isEqualTo("_haddns-fence.example.com.");
  }

  @Test
  void readsTheEpochOfTheFenceRecord() throws Exception {
    assertThat(fence.parse(List.of(fence.record(42)))).contains(42L);
    assertThat(fence.parse(List.of())).isEmpty();
  }

  @Test
  void fenceHoldingSomethingElseIsPermanentAndNamesTheValue() {
    var garbage = new TXTRecord(fence.name(), DClass.IN, 60, "epoch=x");

    assertThatThrownBy(() -> fence.parse(List.of(garbage)))
        .isInstanceOf(PermanentProviderException.class)
        .hasMessageContaining("zone example.com")
        .hasMessageContaining("epoch=x");
    assertThatThrownBy(() -> fence.parse(List.of(fence.record(1), fence.record(2))))
        .isInstanceOf(PermanentProviderException.class);
  }
}
