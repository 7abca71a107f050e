package io.bpf4j.api.symbols;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.AttachTarget;
import io.bpf4j.api.LinkOptions;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Symbols and USDT probes of the committed fixtures ({@code symbols/build.sh}). The expected
 * offsets are what {@code readelf -sW}, {@code -lW} and {@code -n} print for those files: the
 * kernel tests in {@code it} check the same lookups by counting real calls.
 */
class ExecutableTest {
    static Path fixture(String name) {
        try {
            return Path.of(ExecutableTest.class.getResource("/symbols/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void functionsOfASharedLibrary() {
        Executable lib = Executable.open(fixture("libsyms.so"));
        // Text is mapped at its file offset in this library: offset = address.
        assertEquals(0x1120, lib.offset("bpf4j_probe_me"));
        AttachTarget.Uprobe u = lib.uprobe("bpf4j_probe_me", 42);
        assertEquals(new AttachTarget.Uprobe(fixture("libsyms.so").toString(), 0x1120, false, 42), u);
        assertTrue(lib.uretprobe("bpf4j_probe_me", -1).isReturn());
    }

    @Test
    void symbolVersions() {
        Executable lib = Executable.open(fixture("libsyms.so"));
        assertEquals(0x1140, lib.offset("vers"), "a bare name is the default version");
        assertEquals(0x1140, lib.offset("vers@@V2"));
        assertEquals(0x1140, lib.offset("vers@V2"));
        assertEquals(0x1130, lib.offset("vers@V1"), "a non-default version by its name");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> lib.offset("vers@@V1"));
        assertTrue(e.getMessage().contains("only as vers@@V2 (0x1140), vers@V1 (0x1130)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> lib.offset("vers@V3"));
        e = assertThrows(IllegalArgumentException.class, () -> lib.offset("@V1"));
        assertTrue(e.getMessage().startsWith("symbol: "), e.getMessage());
    }

    @Test
    void refusalsNameWhatIsWrong() {
        Executable lib = Executable.open(fixture("libsyms.so"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> lib.offset("twin"));
        assertTrue(e.getMessage().contains("twin is ambiguous") && e.getMessage().contains("0x1110")
                && e.getMessage().contains("0x1170"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> lib.offset("bpf4j_variable"));
        assertTrue(e.getMessage().contains("is not a function"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> lib.offset("bpf4j_picked"));
        assertTrue(e.getMessage().contains("indirect function"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> lib.offset("no_such_function"));
        assertTrue(e.getMessage().contains("defines no symbol no_such_function"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> lib.offset(""));
        assertTrue(lib.usdtProbes().isEmpty());
        e = assertThrows(IllegalArgumentException.class, () -> lib.usdtProbes("a", "b"));
        assertTrue(e.getMessage().contains("has no USDT probe a:b (it has none)"), e.getMessage());
    }

    @Test
    void pieAndNonPieExecutables() {
        // PIE: addresses are offsets from 0 and text sits at its file offset.
        assertEquals(0x11d0, Executable.open(fixture("usdt_app_pie")).offset("bpf4j_app_work"));
        // Non-PIE: 0x4011b0 in the segment loaded at 0x401000 from file offset 0x1000.
        assertEquals(0x11b0, Executable.open(fixture("usdt_app_nopie")).offset("bpf4j_app_work"));
    }

    @Test
    void usdtProbesWithTheirSemaphoresAndArguments() {
        for (String f : List.of("usdt_app_pie", "usdt_app_nopie")) {
            Executable app = Executable.open(fixture(f));
            List<UsdtProbe> probes = app.usdtProbes();
            assertEquals(1, probes.size(), f);
            UsdtProbe p = probes.get(0);
            // Location 0x109d (PIE) / 0x40108d (non-PIE); semaphore 0x4020 / 0x404020, both in .probes at file offset 0x3020.
            long at = f.endsWith("_pie") ? 0x109d : 0x108d;
            assertEquals(new UsdtProbe("bpf4j_app", "tick", at, 0x3020, "-4@%edx -4@$42"), p);
            assertEquals(List.of(new UsdtArgument(4, true, UsdtArgument.Kind.REGISTER, "edx", 0),
                    new UsdtArgument(4, true, UsdtArgument.Kind.CONSTANT, null, 42)), p.arguments());
            LinkOptions.UprobeMulti o = app.usdt("bpf4j_app", "tick", 7, 123);
            assertEquals(app.path().toString(), o.path());
            assertEquals(at, o.offsets()[0]);
            assertEquals(0x3020, o.refCtrOffsets()[0]);
            assertEquals(7, o.cookies()[0]);
            assertEquals(123, o.pid());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> app.usdt("bpf4j_app", "tock", 0));
            assertTrue(e.getMessage().contains("has no USDT probe bpf4j_app:tock; it has bpf4j_app:tick"), e.getMessage());
        }
    }

    @Test
    void argumentForms() {
        assertEquals(new UsdtArgument(8, false, UsdtArgument.Kind.MEMORY, "rbp", -8), UsdtArgument.parse("8@-8(%rbp)"));
        assertEquals(new UsdtArgument(8, false, UsdtArgument.Kind.MEMORY, "rax", 0), UsdtArgument.parse("8@(%rax)"));
        assertEquals(new UsdtArgument(2, true, UsdtArgument.Kind.CONSTANT, null, -3), UsdtArgument.parse("-2@$-3"));
        assertEquals(new UsdtArgument(8, false, UsdtArgument.Kind.MEMORY, "sp", 16), UsdtArgument.parse("8@[sp, 16]"));
        assertEquals(new UsdtArgument(4, true, UsdtArgument.Kind.REGISTER, "w0", 0), UsdtArgument.parse("-4@w0"));
        assertEquals(List.of(UsdtArgument.parse("8@[sp, 16]"), UsdtArgument.parse("-4@x1")), UsdtArgument.parseAll("8@[sp, 16] -4@x1"));
        assertEquals(List.of(), UsdtArgument.parseAll(""));
        for (String bad : List.of("8@(%rax,%rbx,8)", "3@%eax", "%eax", "8@", "x@%eax", "8@sym(%rip", "8@foo(%rip)")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> UsdtArgument.parse(bad), bad);
            assertTrue(e.getMessage().startsWith("spec: USDT argument '" + bad + "'"), e.getMessage());
        }
    }

    @Test
    void notAnExecutable() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Executable.open(fixture("libsyms.c")));
        assertTrue(e.getMessage().endsWith("not an ELF file (no \\x7fELF magic)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Executable.open(Path.of("/nonexistent/libx.so")));
        assertEquals("path: /nonexistent/libx.so does not exist", e.getMessage());
        Path object = Path.of(fixture("libsyms.c").getParent().getParent().toString(), "objects", "subprogs.o");
        e = assertThrows(IllegalArgumentException.class, () -> Executable.open(object));
        assertTrue(e.getMessage().contains("not an executable (2) or shared object (3)"), e.getMessage());
    }

    @Test
    void libraryNames() {
        assertTrue(Libraries.matches("libc", "libc.so.6"));
        assertTrue(Libraries.matches("libc.so", "libc.so.6"));
        assertTrue(Libraries.matches("libc.so.6", "libc.so.6"));
        assertFalse(Libraries.matches("libc", "libcrypt.so.1"));
        assertFalse(Libraries.matches("libc.so.6", "libc.so.60"));
        assertEquals("/usr/lib/x86_64-linux-gnu/libc.so.6",
                Libraries.mappedPath("7f00-7f01 r-xp 00028000 08:01 1234   /usr/lib/x86_64-linux-gnu/libc.so.6"));
        assertEquals("/opt/my app/libx.so", Libraries.mappedPath("7f00-7f01 r-xp 00000000 08:01 1 /opt/my app/libx.so"));
        assertNull(Libraries.mappedPath("7f00-7f01 rw-p 00000000 00:00 0 "));
        assertNull(Libraries.mappedPath("7f00-7f01 r-xp 00000000 08:01 1 /tmp/gone.so (deleted)"));
        assertEquals(fixture("libsyms.so"), Executable.library(fixture("libsyms.so").toString()).path());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Executable.library("libbpf4j-none"));
        assertTrue(e.getMessage().startsWith("name: no library libbpf4j-none is mapped by process self"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Executable.library("libc", 0));
    }
}
