package io.bpf4j.it.attach;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.AttachType;
import io.bpf4j.api.BpfLink;
import io.bpf4j.api.BpfProgram;
import io.bpf4j.api.LinkOptions;
import io.bpf4j.api.ProgramSpec;
import io.bpf4j.api.ProgramType;
import io.bpf4j.api.symbols.Executable;
import io.bpf4j.it.KernelTest;
import io.bpf4j.testsupport.Need;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Probes found by name fire exactly as often as the code runs: a uprobe on libc's
 * {@code getpid} (the libc this JVM has mapped) counting the test thread's calls, and, in a
 * PIE and a non-PIE build of a small program ({@code symbols/usdt_app.c}), a uprobe on one of
 * its functions and its USDT probe attached by name, whose semaphore the kernel raises so the
 * program's {@code if (enabled)} branch runs.
 */
class ProbeBySymbolTest extends KernelTest {
    private static BpfProgram counter(Counters c, int slot, int tid, AttachType expected) {
        return BpfProgram.load(bpf, ProgramSpec.of(ProgramType.KPROBE, Progs.countThread(c.fd(), slot, tid, -1, 0), "GPL")
                .withExpectedAttachType(expected));
    }

    @Test
    void uprobeOnLibcGetpidByName() {
        int tid = Host.LibC.INSTANCE.gettid();
        Executable libc = Executable.library("libc");
        assertTrue(libc.path().getFileName().toString().startsWith("libc.so"), libc.path().toString());
        try (Counters c = new Counters(bpf, 2); BpfProgram p = counter(c, 0, tid, null);
                BpfLink l = p.attachPerfEvent(libc.uprobe("getpid", -1), 31)) {
            for (int i = 0; i < 6; i++) Host.LibC.INSTANCE.getpid();
            assertEquals(6, c.get(0), "one hit per getpid() of this thread");
            assertEquals(31, c.get(1));
        }
    }

    @Test
    void usdtAndFunctionProbesInTheCommittedPrograms(@TempDir Path dir) throws Exception {
        Need.that("amd64".equals(System.getProperty("os.arch")), "the committed USDT programs are x86-64 binaries");
        for (String name : new String[] {"usdt_app_pie", "usdt_app_nopie"}) {
            Path app = dir.resolve(name);
            Files.copy(Path.of(getClass().getResource("/symbols/" + name).toURI()), app, StandardCopyOption.REPLACE_EXISTING);
            assertTrue(app.toFile().setExecutable(true));
            probeAndCount(app);
        }
    }

    /** The same program built here, by this machine's gcc and {@code <sys/sdt.h>} (systemtap-sdt-dev). */
    @Test
    void usdtAndFunctionProbesInProgramsBuiltHere(@TempDir Path dir) throws Exception {
        Need.tool("gcc");
        Need.that(Files.exists(Path.of("/usr/include/sys/sdt.h"))
                || Files.exists(Path.of("/usr/include", System.getProperty("os.arch").equals("amd64") ? "x86_64-linux-gnu"
                        : System.getProperty("os.arch") + "-linux-gnu", "sys/sdt.h")), "<sys/sdt.h> (Debian: systemtap-sdt-dev)");
        Path src = dir.resolve("usdt_app.c");
        Files.copy(Path.of(getClass().getResource("/symbols/usdt_app.c").toURI()), src);
        for (String[] flags : new String[][] {{"-fPIE", "-pie"}, {"-fno-pie", "-no-pie"}}) {
            Path app = dir.resolve("app" + flags[1]);
            io.bpf4j.testsupport.Commands.run("gcc", "-O2", flags[0], flags[1], "-o", app.toString(), src.toString());
            probeAndCount(app);
        }
    }

    /**
     * Runs the program with its USDT probe (by provider and name) and its {@code bpf4j_app_work}
     * function (by symbol) probed for its process, and counts both.
     */
    private static void probeAndCount(Path app) throws Exception {
        String name = app.getFileName().toString();
        Executable exe = Executable.open(app);
        Process proc = new ProcessBuilder(app.toString()).redirectErrorStream(true).start();
        try {
            int pid = (int) proc.pid();
            // Single-threaded: its only thread's id is its pid.
            try (Counters c = new Counters(bpf, 4); BpfProgram usdt = counter(c, 0, pid, AttachType.TRACE_UPROBE_MULTI);
                    BpfProgram work = counter(c, 2, pid, null)) {
                LinkOptions.UprobeMulti sites = exe.usdt("bpf4j_app", "tick", 500, pid);
                try (BpfLink l1 = usdt.attachUprobeMulti(sites, false);
                        BpfLink l2 = work.attachPerfEvent(exe.uprobe("bpf4j_app_work", pid), 77)) {
                    try (Writer w = proc.outputWriter(StandardCharsets.US_ASCII)) {
                        w.write("5\n");
                    }
                    String out;
                    try (BufferedReader r = new BufferedReader(new InputStreamReader(proc.getInputStream(), StandardCharsets.US_ASCII))) {
                        out = r.readLine();
                    }
                    assertTrue(proc.waitFor(10, TimeUnit.SECONDS), name + " did not exit");
                    // 0+7+14+21+28 = 70; all five turns saw the semaphore raised.
                    assertEquals("5 70", out, name + ": turns with the probe enabled, and the sum");
                    assertEquals(5, c.get(0), name + ": one USDT hit per turn");
                    assertEquals(500, c.get(1), name + ": the site's cookie");
                    assertEquals(5, c.get(2), name + ": one hit per bpf4j_app_work call");
                    assertEquals(77, c.get(3));
                }
            }
        } finally {
            proc.destroyForcibly();
        }
    }
}
