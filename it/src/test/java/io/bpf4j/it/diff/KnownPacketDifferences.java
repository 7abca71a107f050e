package io.bpf4j.it.diff;

import java.util.List;

/** The packet-program differences backend-sim/README.md lists, recognised in a minimised report. */
final class KnownPacketDifferences {
    private KnownPacketDifferences() {
    }

    static final List<Minimized.KnownDifference> LIST = List.of();
}
