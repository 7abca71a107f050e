package io.bpf4j.cli;

import io.bpf4j.api.Bpf;
import io.bpf4j.api.BpfException;
import io.bpf4j.api.asm.Disassembler;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code bpf4j prog dump xlated|jited ID|pinned PATH}: a loaded program's translated instructions,
 * disassembled in the project's assembler syntax with map and helper names, and its JIT image.
 */
final class ProgDumpCommands {
    private ProgDumpCommands() {
    }

    /** {@code bpf4j prog dump}. */
    @Command(name = "dump", mixinStandardHelpOptions = true, description = "Dump a program's translated instructions or JIT image.",
            subcommands = {Xlated.class, Jited.class})
    static final class Dump implements Runnable {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            spec.commandLine().usage(spec.commandLine().getOut());
        }
    }

    /** What both dumps take. */
    abstract static class Base extends BackendCommand {
        @Parameters(arity = "1..2", paramLabel = Target.LABEL, description = "The program's id, or pinned and its path on bpffs.")
        List<String> target;

        @Option(names = "--json", description = "Print JSON instead of text.")
        boolean json;

        /** Opens the program named on the command line. */
        int open(Bpf bpf) {
            Target t = Target.parse(target);
            int fd = t.open(bpf, bpf::progGetFdById);
            try {
                bpf.progGetInfo(fd);
            } catch (IllegalArgumentException notAProgram) {
                bpf.closeFd(fd);
                if (t.path() == null) throw notAProgram;
                throw new IllegalArgumentException("PATH: " + t.path() + " is not a program (" + notAProgram.getMessage() + ")");
            } catch (RuntimeException e) {
                bpf.closeFd(fd);
                throw e;
            }
            return fd;
        }
    }

    /** {@code prog dump xlated ID|pinned PATH [--opcodes] [--json]}. */
    @Command(name = "xlated", mixinStandardHelpOptions = true,
            description = {"A program's instructions as the kernel keeps them after verification, in bpf4j's assembler syntax:"
                    + " map references by name (id in a comment), helper calls by name. On Linux a call's name is the kernel"
                    + " function it goes to (from /proc/kallsyms, as bpftool finds it); on the simulator, the helper's.",
                "JSON: one object per instruction with pc, disasm and, with --opcodes, its raw bytes."})
    static final class Xlated extends Base {
        @Option(names = "--opcodes", description = "Also print each instruction's raw bytes (8, or 16 for a 64-bit load).")
        boolean opcodes;

        @Override
        void run(Bpf bpf, PrintWriter out) {
            int fd = open(bpf);
            long[] insns;
            try {
                insns = bpf.progGetXlated(fd);
            } finally {
                bpf.closeFd(fd);
            }
            Disassembler d = Disassembler.create().withMapNames(mapNames(bpf));
            if (bpf.name().equals("linux")) d = d.withCallNames(KernelSymbols.callNames(Path.of("/proc/kallsyms")));
            if (!json) {
                out.print(d.text(insns, opcodes));
                return;
            }
            List<String> items = new ArrayList<>();
            for (Disassembler.Line l : d.lines(insns)) {
                items.add("{\"pc\":" + l.pc() + ",\"disasm\":" + Json.quote(l.text())
                        + (opcodes ? ",\"opcodes\":" + Json.quote(Disassembler.hex(l.bytes())) : "") + "}");
            }
            out.println("[" + String.join(",", items) + "]");
        }

        /** Map names by id, each looked up once; a map that cannot be opened stays unnamed. */
        private static java.util.function.IntFunction<String> mapNames(Bpf bpf) {
            Map<Integer, String> names = new HashMap<>();
            return id -> names.computeIfAbsent(id, i -> {
                int fd;
                try {
                    fd = bpf.mapGetFdById(i);
                } catch (BpfException | IllegalArgumentException gone) {
                    return "";
                }
                try {
                    return bpf.mapGetInfo(fd).name();
                } finally {
                    bpf.closeFd(fd);
                }
            });
        }
    }

    /** {@code prog dump jited ID|pinned PATH [--opcodes] [--json]}. */
    @Command(name = "jited", mixinStandardHelpOptions = true,
            description = {"A program's machine code from the kernel's JIT compiler. The JDK has no disassembler for it: the image"
                    + " is printed as hex, 16 bytes a line after their offset (--opcodes, which bpftool uses to add the bytes"
                    + " to its disassembly, changes nothing).",
                "JSON: the program's id, the image's size and its bytes in hex. The simulator has no JIT and says so."})
    static final class Jited extends Base {
        @Option(names = "--opcodes", description = "Accepted as bpftool takes it; the bytes are always printed.")
        boolean opcodes;

        @Override
        void run(Bpf bpf, PrintWriter out) {
            int fd = open(bpf);
            byte[] image;
            int id;
            try {
                id = bpf.progGetInfo(fd).id();
                image = bpf.progGetJited(fd);
            } finally {
                bpf.closeFd(fd);
            }
            if (json) {
                out.println("{\"id\":" + id + ",\"bytes_jited\":" + image.length + ",\"image\":" + Json.quote(Hex.of(image)) + "}");
                return;
            }
            if (image.length == 0) {
                out.println("no JIT image: the program was not JIT-compiled");
                return;
            }
            for (int off = 0; off < image.length; off += 16) {
                byte[] row = java.util.Arrays.copyOfRange(image, off, Math.min(image.length, off + 16));
                out.println(String.format("%04x: ", off) + Disassembler.hex(row));
            }
        }
    }
}
