package io.bpf4j.linux.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * The kernel's function symbols from {@code /proc/kallsyms}, for checking kprobe targets by name
 * before the kernel is asked: text symbols ({@code t}/{@code T}, and weak {@code w}/{@code W}),
 * vmlinux's and loaded modules' ({@code name [module]}). Read once per process, on first use;
 * where the file cannot be read the check is skipped and the kernel's own error stands.
 */
public final class Kallsyms {
    private static final Path FILE = Path.of("/proc/kallsyms");
    private static volatile Set<String> functions;
    private static volatile boolean unreadable;

    private Kallsyms() {
    }

    /**
     * Checks kprobe target names.
     *
     * @param symbols the functions
     * @param param the parameter they came in, for the message
     * @throws IllegalArgumentException naming the first function the kernel does not have
     */
    public static void requireFunctions(String[] symbols, String param) {
        Set<String> f = functions();
        if (f == null) return;
        for (String s : symbols) {
            // "module:function" is how kprobes name a module's function; the part after the colon is the symbol.
            String name = s.indexOf(':') >= 0 ? s.substring(s.indexOf(':') + 1) : s;
            if (!f.contains(name)) {
                throw new IllegalArgumentException(param + ": the kernel has no function '" + s + "' (not a text symbol of "
                        + FILE + ")");
            }
        }
    }

    /** The function names, or null when {@code /proc/kallsyms} cannot be read here. */
    static Set<String> functions() {
        Set<String> f = functions;
        if (f != null || unreadable) return f;
        synchronized (Kallsyms.class) {
            if (functions != null || unreadable) return functions;
            Set<String> out = new HashSet<>(1 << 17);
            try (BufferedReader r = Files.newBufferedReader(FILE, StandardCharsets.US_ASCII)) {
                for (String line; (line = r.readLine()) != null; ) {
                    // "ffffffff81000000 T _stext" or "ffffffffc0000000 t fn\t[module]"
                    int a = line.indexOf(' ');
                    if (a < 0 || a + 3 >= line.length()) continue;
                    char type = line.charAt(a + 1);
                    if (type != 't' && type != 'T' && type != 'w' && type != 'W') continue;
                    int end = line.indexOf('\t', a + 3);
                    out.add(line.substring(a + 3, end < 0 ? line.length() : end));
                }
            } catch (IOException | RuntimeException e) {
                unreadable = true;
                return null;
            }
            if (out.isEmpty()) {
                unreadable = true; // a kernel without CONFIG_KALLSYMS lists nothing: nothing to check against
                return null;
            }
            functions = out;
            return out;
        }
    }
}
