package io.bpf4j.linux.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.testsupport.Need;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Kprobe targets checked against this kernel's /proc/kallsyms (this kernel has no kprobe PMU, so
 * the check is exercised here directly rather than through a kprobe).
 */
class KallsymsTest {
    @Test
    void functionsAreCheckedByName() throws java.io.IOException {
        Need.linux();
        Need.root(); // /proc/kallsyms lists names to everyone but addresses only with CAP_SYSLOG; names suffice
        Need.path(Path.of("/proc/kallsyms"), "the kernel's symbol table");
        assertTrue(Kallsyms.functions().size() > 10_000, "a kernel has many text symbols");
        Kallsyms.requireFunctions(new String[] {"bpf_map_lookup_elem", "_stext"}, "symbols");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Kallsyms.requireFunctions(new String[] {"bpf_map_lookup_elem", "bpf4j_no_such_function"}, "symbols"));
        assertEquals("symbols: the kernel has no function 'bpf4j_no_such_function' (not a text symbol of /proc/kallsyms)",
                e.getMessage());
        // A data symbol is in the table but no probe target.
        assertTrue(java.nio.file.Files.readAllLines(Path.of("/proc/kallsyms")).stream().anyMatch(l -> l.endsWith(" D __start_rodata")),
                "the kernel lists __start_rodata as data");
        assertThrows(IllegalArgumentException.class, () -> Kallsyms.requireFunctions(new String[] {"__start_rodata"}, "symbol"));
    }
}
