package io.bpf4j.it.object;

import static io.bpf4j.it.object.Corpus.u32;
import static io.bpf4j.it.object.Corpus.u64;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Library;
import com.sun.jna.Native;
import io.bpf4j.api.BpfLink;
import io.bpf4j.api.LinkType;
import io.bpf4j.api.object.BpfCollection;
import io.bpf4j.it.LinuxKernel;
import io.bpf4j.sim.HookResult;
import io.bpf4j.sim.Hooks;
import io.bpf4j.sim.SimBpf;
import io.bpf4j.sim.Simulator;
import io.bpf4j.testsupport.Commands;
import io.bpf4j.testsupport.Host;
import io.bpf4j.testsupport.LeakCheck;
import io.bpf4j.testsupport.Netns;
import io.bpf4j.testsupport.Ping;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * legacy_maps.o's XDP program attached through the collection by its section ({@code xdp}) with
 * the interface as the parameter: on the kernel to a veth end in a test namespace, counting the
 * pings that arrive there; in the simulator to an interface fed frames through its hooks.
 */
@ExtendWith(LeakCheck.class)
class XdpAttachTest {
    static final int XDP_DROP = 1;

    interface LibC extends Library {
        LibC INSTANCE = Native.load("c", LibC.class);

        int open(String path, int flags);

        int close(int fd);

        int setns(int fd, int nstype);
    }

    @Test
    void onTheKernelItCountsThePingsReachingTheInterface() {
        LinuxKernel.require();
        String base = Host.fresh("x");
        try (var bpf = LinuxKernel.open(); Netns a = Netns.create(base + "a"); Netns b = Netns.create(base + "b");
                BpfCollection obj = Corpus.spec("legacy_maps.o").load(bpf)) {
            String devA = base + "va";
            String addrA = "10.77." + (ProcessHandle.current().pid() % 250) + ".1";
            String addrB = addrA.substring(0, addrA.length() - 1) + "2";
            Commands.run("ip", "-n", a.name(), "link", "add", devA, "type", "veth", "peer", "name", base + "vb", "netns", b.name());
            Commands.run("ip", "-n", a.name(), "addr", "add", addrA + "/30", "dev", devA);
            Commands.run("ip", "-n", b.name(), "addr", "add", addrB + "/30", "dev", base + "vb");
            Commands.run("ip", "-n", a.name(), "link", "set", devA, "up");
            Commands.run("ip", "-n", b.name(), "link", "set", base + "vb", "up");
            String out = Commands.run("ip", "-n", a.name(), "-o", "link", "show", "dev", devA);
            int ifindex = Integer.parseInt(out.substring(0, out.indexOf(':')).strip());
            // Interface indexes are read in the caller's namespace: attach from a thread inside a.
            BpfLink link = in(a.name(), () -> obj.attach("count_frames", ifindex));
            assertEquals(LinkType.XDP, link.info().type());
            in(b.name(), () -> {
                Ping.echo(addrA, 3);
                return null;
            });
            long frames = u64(obj.map("stats").lookup(u32(0)).orElseThrow());
            assertTrue(frames >= 3, "three echo requests (and perhaps ARP) reached a: " + frames);
            link.close();
            in(b.name(), () -> {
                Ping.echo(addrA, 2);
                return null;
            });
            assertEquals(frames, u64(obj.map("stats").lookup(u32(0)).orElseThrow()), "detached: nothing more counted");
        }
    }

    @Test
    void inTheSimulatorItSeesTheFramesFedToTheInterface() {
        try (SimBpf sim = Simulator.builder().build(); BpfCollection obj = Corpus.spec("legacy_maps.o").load(sim)) {
            obj.attach("count_frames", 7);
            for (int i = 0; i < 3; i++) assertEquals(Hooks.XDP_PASS, sim.hooks().xdp(7, new byte[64]).verdict());
            assertEquals(3, u64(obj.map("stats").lookup(u32(0)).orElseThrow()));
            obj.map("stats").put(u32(3), u64(XDP_DROP));
            HookResult r = sim.hooks().xdp(7, new byte[64]);
            assertEquals(Hooks.XDP_DROP, r.verdict(), "the verdict Java put in the map");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> obj.attach("count_frames"));
            assertTrue(e.getMessage().contains("needs a network interface"), e.getMessage());
        }
    }

    /** Runs {@code body} on a new thread that entered the network namespace {@code ns}. */
    static <T> T in(String ns, Callable<T> body) {
        FutureTask<T> task = new FutureTask<>(() -> {
            int fd = LibC.INSTANCE.open("/run/netns/" + ns, 0x80000 /* O_RDONLY|O_CLOEXEC */);
            if (fd < 0) throw new IllegalStateException("open /run/netns/" + ns + " failed");
            try {
                if (LibC.INSTANCE.setns(fd, 0x40000000 /* CLONE_NEWNET */) != 0) {
                    throw new IllegalStateException("setns(" + ns + ") failed: errno " + Native.getLastError());
                }
            } finally {
                LibC.INSTANCE.close(fd);
            }
            return body.call();
        });
        Thread t = new Thread(task, "in-netns-" + ns);
        t.start();
        try {
            return task.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error err) throw err;
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
