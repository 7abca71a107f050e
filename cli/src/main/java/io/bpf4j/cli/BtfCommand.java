package io.bpf4j.cli;

import io.bpf4j.api.btf.Btf;
import io.bpf4j.api.btf.BtfDump;
import io.bpf4j.api.btf.BtfFormatException;
import io.bpf4j.api.btf.BtfKind;
import io.bpf4j.api.btf.KernelBtf;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code bpf4j btf}: BTF read with the pure-Java parser, no backend and no bpftool needed.
 * {@code dump} prints a blob's types; {@code find} looks types up by name.
 */
@Command(name = "btf", mixinStandardHelpOptions = true,
        description = "Inspect BTF: the kernel's, a module's, or a raw BTF file.",
        subcommands = {BtfList.class, BtfCommand.Dump.class, BtfCommand.Find.class})
final class BtfCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Where the BTF comes from; the kernel's when nothing is given. */
    static final class Source {
        @Option(names = "--kernel", description = "The running kernel's BTF (/sys/kernel/btf/vmlinux); the default.")
        boolean kernel;

        @Option(names = "--module", paramLabel = "NAME", description = "A loaded module's BTF, split on the kernel's.")
        String module;

        @Option(names = "--file", paramLabel = "FILE", description = "A raw BTF file.")
        Path file;
    }

    /** How to print types. */
    static final class Format {
        @Option(names = "--raw", description = "One line per type and per member, as bpftool's 'format raw' (the default).")
        boolean raw;

        @Option(names = "--c", description = "C-like declarations (dump: of named types and anonymous enums, unless --id).")
        boolean c;

        @Option(names = "--json", description = "One JSON object with every type.")
        boolean json;
    }

    /** Reads the chosen BTF; the base of a file's split BTF is given with {@code --base}. */
    static Btf load(Source source, Path positional, Path base) throws IOException {
        Path file = positional != null ? positional : source == null ? null : source.file;
        if (file != null && source != null && (source.kernel || source.module != null)) {
            throw new IllegalArgumentException("give one source: a FILE, --kernel or --module");
        }
        if (file != null) {
            byte[] blob = Files.readAllBytes(file);
            if (blob.length >= 4 && blob[0] == 0x7f && blob[1] == 'E' && blob[2] == 'L' && blob[3] == 'F') {
                throw new IllegalArgumentException(file + " is an ELF object, not raw BTF: take its .BTF out with "
                        + "'llvm-objcopy --dump-section .BTF=FILE.btf " + file + "' and dump that");
            }
            return base == null ? Btf.parse(blob) : Btf.parse(blob, Btf.read(base));
        }
        if (source != null && source.module != null) return KernelBtf.module(source.module);
        return KernelBtf.vmlinux();
    }

    /** Runs {@code body}, turning what can go wrong with the input into a message and exit code 1. */
    static int guarded(CommandLine.Model.CommandSpec spec, Callable<Integer> body) {
        PrintWriter err = spec.commandLine().getErr();
        try {
            return body.call();
        } catch (BtfFormatException e) {
            err.println("bpf4j: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            err.println("bpf4j: " + e.getMessage());
            err.flush();
            return 2;
        } catch (IOException | UncheckedIOException e) {
            err.println("bpf4j: " + e.getMessage());
        } catch (Exception e) {
            err.println("bpf4j: " + e);
        }
        err.flush();
        return 1;
    }

    static void print(PrintWriter out, Btf btf, List<Integer> ids, Format format) {
        if (format != null && format.json) {
            out.println(BtfJson.types(btf, ids));
        } else if (format != null && format.c) {
            for (int id : ids) {
                out.println("/* [" + id + "] " + btf.kind(id) + " */");
                out.println(BtfDump.c(btf, id));
            }
        } else {
            for (int id : ids) out.println(BtfDump.raw(btf, id));
        }
        out.flush();
    }

    /** {@code bpf4j btf dump}. */
    @Command(name = "dump", mixinStandardHelpOptions = true,
            description = "Print every type of a BTF blob (the kernel's by default).")
    static final class Dump implements Callable<Integer> {
        @Parameters(arity = "0..1", paramLabel = "FILE", description = "A raw BTF file.")
        Path file;

        @ArgGroup(exclusive = true)
        Source source;

        @Option(names = "--base", paramLabel = "FILE", description = "The base of a split BTF FILE.")
        Path base;

        @Option(names = "--id", paramLabel = "ID", description = "Only these types.")
        List<Integer> only;

        @ArgGroup(exclusive = true)
        Format format;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            return guarded(spec, () -> {
                Btf btf = load(source, file, base);
                List<Integer> ids = new ArrayList<>();
                if (only != null) {
                    for (int id : only) {
                        if (id < 1 || id >= btf.typeCount()) throw new IllegalArgumentException("--id: no type " + id);
                        ids.add(id);
                    }
                } else {
                    boolean c = format != null && format.c;
                    for (int id = btf.firstId(); id < btf.typeCount(); id++) {
                        // In C, unnamed pointers, arrays, qualifiers and prototypes are written where
                        // they are used; a whole-file dump shows the declarations (and anonymous enums).
                        if (!c || !btf.name(id).isEmpty() || btf.kind(id) == BtfKind.ENUM || btf.kind(id) == BtfKind.ENUM64) {
                            ids.add(id);
                        }
                    }
                }
                print(spec.commandLine().getOut(), btf, ids, format);
                return 0;
            });
        }
    }

    /** {@code bpf4j btf find}. */
    @Command(name = "find", mixinStandardHelpOptions = true,
            description = "Print the types with a name (in the kernel's BTF by default); exit 1 when there is none.")
    static final class Find implements Callable<Integer> {
        @Parameters(paramLabel = "NAME", description = "The type's name.")
        String name;

        @Option(names = "--kind", paramLabel = "KIND", description = "Only this kind: struct, union, enum, typedef, func, ...")
        String kind;

        @ArgGroup(exclusive = true)
        Source source;

        @Option(names = "--base", paramLabel = "FILE", description = "The base of a split BTF --file.")
        Path base;

        @ArgGroup(exclusive = true)
        Format format;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            return guarded(spec, () -> {
                BtfKind k = kind == null ? null : parseKind(kind);
                Btf btf = load(source, null, base);
                List<Integer> ids = new ArrayList<>();
                for (int id : btf.ids(name)) {
                    if (k == null || btf.kind(id) == k) ids.add(id);
                }
                if (ids.isEmpty()) {
                    spec.commandLine().getErr().println("bpf4j: no " + (k == null ? "type" : k.name()) + " named '" + name + "'");
                    spec.commandLine().getErr().flush();
                    return 1;
                }
                print(spec.commandLine().getOut(), btf, ids, format);
                return 0;
            });
        }

        private static BtfKind parseKind(String k) {
            try {
                BtfKind kind = BtfKind.valueOf(k.toUpperCase(Locale.ROOT).replace('-', '_'));
                if (kind == BtfKind.VOID) throw new IllegalArgumentException("--kind: void has no name");
                return kind;
            } catch (IllegalArgumentException e) {
                if (e.getMessage() != null && e.getMessage().startsWith("--kind")) throw e;
                StringBuilder all = new StringBuilder();
                for (BtfKind x : BtfKind.values()) {
                    if (x != BtfKind.VOID) all.append(all.length() == 0 ? "" : ", ").append(x.name().toLowerCase(Locale.ROOT));
                }
                throw new IllegalArgumentException("--kind: no kind '" + k + "' (one of " + all + ")");
            }
        }
    }
}
