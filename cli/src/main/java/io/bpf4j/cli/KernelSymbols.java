package io.bpf4j.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Names of the kernel functions a Linux program's translated calls go to. The kernel dumps a
 * helper call with {@code imm} = the function's address minus {@code __bpf_call_base}
 * ({@code bpf_insn_prepare_dump()}, kernel/bpf/syscall.c), so the name is the symbol at
 * {@code __bpf_call_base + imm} in {@code /proc/kallsyms}, as bpftool finds it.
 */
final class KernelSymbols {
    private KernelSymbols() {
    }

    /**
     * A call's target by its {@code imm}, or a function that knows none when kallsyms cannot be
     * read or hides its addresses (they read as 0 under {@code kernel.kptr_restrict}).
     */
    static IntFunction<String> callNames(Path kallsyms) {
        Map<Long, String> byAddress = new HashMap<>();
        long base = 0;
        try (BufferedReader r = Files.newBufferedReader(kallsyms, StandardCharsets.ISO_8859_1)) {
            for (String line; (line = r.readLine()) != null;) {
                // "ffffffff81234560 T name [module]"
                int a = line.indexOf(' ');
                int b = line.indexOf(' ', a + 1);
                if (a <= 0 || b != a + 2) continue;
                char type = line.charAt(a + 1);
                int end = line.indexOf(' ', b + 1);
                String name = end < 0 ? line.substring(b + 1) : line.substring(b + 1, end);
                long address = Long.parseUnsignedLong(line.substring(0, a), 16);
                if (name.equals("__bpf_call_base")) base = address;
                if (type == 't' || type == 'T') byAddress.putIfAbsent(address, name);
            }
        } catch (IOException | NumberFormatException e) {
            return imm -> null;
        }
        if (base == 0) return imm -> null;
        long callBase = base;
        return imm -> byAddress.get(callBase + imm);
    }
}
