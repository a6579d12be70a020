package io.haddns.agent;

import io.haddns.agent.detect.IpDetector;
import io.haddns.agent.report.AddressFamily;
import java.util.List;

/** A line's families and its detectors, in order of preference. */
public record LineDetectors(String line, List<AddressFamily> families, List<IpDetector> detectors) {
  public LineDetectors {
    families = List.copyOf(families);
    detectors = List.copyOf(detectors);
    if (families.isEmpty() || detectors.isEmpty()) {
      throw new IllegalArgumentException("line " + line + " needs a family and a detector");
    }
  }
}
