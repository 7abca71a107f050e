package io.bpf4j.cli;

import io.bpf4j.api.Bpf;
import io.bpf4j.api.BpfLink;
import io.bpf4j.api.BpfProgram;
import io.bpf4j.api.TestRunResult;
import io.bpf4j.api.TestRunSpec;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bpf4j prog run|pin} and {@code bpf4j link detach|pin}: a program or link by id. */
final class ProgLinkCommands {
    private ProgLinkCommands() {
    }

    private static int id(String param, int id) {
        if (id <= 0) throw new IllegalArgumentException(param + ": " + id + " is not an object id");
        return id;
    }

    /** {@code prog run ID (--data HEX | --data-file F) [--repeat N] [--json]}. */
    @Command(name = "run", mixinStandardHelpOptions = true,
            description = "Test-runs a program (BPF_PROG_TEST_RUN): prints its return value, the mean duration and the data out.")
    static final class Run extends BackendCommand {
        @Parameters(paramLabel = "ID", description = "The program's id.")
        int prog;

        @Option(names = "--data", paramLabel = "HEX", description = "The input packet in hex.")
        String data;

        @Option(names = "--data-file", paramLabel = "FILE", description = "The input packet from a file.")
        Path dataFile;

        @Option(names = "--repeat", paramLabel = "N", description = "Runs (default 1).")
        int repeat = 1;

        @Option(names = "--json", description = "Print JSON instead of text.")
        boolean json;

        @Override
        void run(Bpf bpf, PrintWriter out) throws Exception {
            if ((data == null) == (dataFile == null)) throw new IllegalArgumentException("--data/--data-file: give exactly one");
            if (repeat < 1) throw new IllegalArgumentException("--repeat: " + repeat + " is not positive");
            byte[] in = data != null ? Hex.parse("--data", data, -1) : Files.readAllBytes(dataFile);
            try (BpfProgram p = BpfProgram.fromId(bpf, id("ID", prog))) {
                TestRunResult r = p.testRun(TestRunSpec.ofData(in).withRepeat(repeat));
                byte[] outData = r.dataOut() == null ? new byte[0] : r.dataOut();
                if (json) {
                    out.println("{\"retval\":" + Integer.toUnsignedLong(r.retval()) + ",\"duration_ns\":" + r.durationNs()
                            + ",\"data_out\":" + Json.quote(Hex.of(outData)) + "}");
                } else {
                    out.println("retval " + Integer.toUnsignedLong(r.retval()) + "  duration " + r.durationNs() + " ns");
                    out.println("data out " + Hex.of(outData));
                }
            }
        }
    }

    /** {@code prog pin ID PATH}. */
    @Command(name = "pin", mixinStandardHelpOptions = true, description = "Pins a program at a path on bpffs.")
    static final class ProgPin extends BackendCommand {
        @Parameters(index = "0", paramLabel = "ID", description = "The program's id.")
        int prog;

        @Parameters(index = "1", paramLabel = "PATH", description = "Where to pin it.")
        String path;

        @Override
        void run(Bpf bpf, PrintWriter out) {
            try (BpfProgram p = BpfProgram.fromId(bpf, id("ID", prog))) {
                p.pin(path);
            }
        }
    }

    /** {@code link detach ID}. */
    @Command(name = "detach", mixinStandardHelpOptions = true,
            description = "Detaches a link (BPF_LINK_DETACH): its program leaves the hook though the link object lives on.")
    static final class LinkDetach extends BackendCommand {
        @Parameters(paramLabel = "ID", description = "The link's id.")
        int link;

        @Override
        void run(Bpf bpf, PrintWriter out) {
            try (BpfLink l = BpfLink.fromId(bpf, id("ID", link))) {
                l.detach();
            }
        }
    }

    /** {@code link pin ID PATH}. */
    @Command(name = "pin", mixinStandardHelpOptions = true, description = "Pins a link at a path on bpffs.")
    static final class LinkPin extends BackendCommand {
        @Parameters(index = "0", paramLabel = "ID", description = "The link's id.")
        int link;

        @Parameters(index = "1", paramLabel = "PATH", description = "Where to pin it.")
        String path;

        @Override
        void run(Bpf bpf, PrintWriter out) {
            try (BpfLink l = BpfLink.fromId(bpf, id("ID", link))) {
                l.pin(path);
            }
        }
    }
}
