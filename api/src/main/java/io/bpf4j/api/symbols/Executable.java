package io.bpf4j.api.symbols;

import io.bpf4j.api.AttachTarget;
import io.bpf4j.api.LinkOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * An executable or shared library to probe, with its functions found by name: the file offsets
 * uprobes take, from {@code .symtab} and {@code .dynsym} and the loadable segments (so PIE and
 * non-PIE files alike), and its USDT probes from {@code .note.stapsdt}.
 *
 * <pre>{@code
 * Executable libc = Executable.library("libc");                 // the libc this process uses
 * AttachTarget.Uprobe target = libc.uprobe("malloc", -1);       // every process
 * LinkOptions.UprobeMulti sites = Executable.open(Path.of("/usr/bin/myapp"))
 *         .usdt("myapp", "request", 0);                        // each site, semaphores raised
 * }</pre>
 *
 * <p>Symbol names may carry an ELF symbol version: {@code malloc@@GLIBC_2.2.5} is the default
 * version, {@code memcpy@GLIBC_2.2.5} that version whether default or not. A bare name is the
 * unversioned or default-version function of that name, or else its only version; names that
 * still lead to two addresses are refused as ambiguous with the addresses' versions listed.
 *
 * <p>Everything is read when the executable is opened; the handle holds no file open.
 */
public final class Executable {
    private final Path path;
    private final List<HostElf.Symbol> symbols;
    private final List<UsdtProbe> usdt;
    private final List<HostElf.Segment> segments;

    private Executable(Path path, HostElf elf) throws IOException {
        this.path = path;
        this.symbols = elf.symbols();
        this.segments = List.copyOf(elf.segments);
        this.usdt = Usdt.probes(elf);
    }

    /**
     * Opens an executable or shared library by path.
     *
     * @param path the file
     * @return the executable
     * @throws IllegalArgumentException when the file is missing, unreadable, or no well-formed ELF
     *     executable or shared library, naming the file and what is wrong
     */
    public static Executable open(Path path) {
        Objects.requireNonNull(path, "path");
        HostElf elf;
        try {
            elf = HostElf.open(path);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IllegalArgumentException("path: " + path + " does not exist");
        } catch (IOException e) {
            throw new IllegalArgumentException("path: cannot read " + path + ": " + e.getMessage(), e);
        }
        try {
            return new Executable(path, elf);
        } catch (IOException e) {
            throw new UncheckedIOException(path + ": " + e.getMessage(), e);
        } finally {
            try {
                elf.close();
            } catch (IOException ignored) {
                // Read-only: nothing was lost.
            }
        }
    }

    /**
     * Opens a shared library by name as the dynamic linker would find it for this process: first
     * a library this process has mapped ({@code /proc/self/maps}), then {@code LD_LIBRARY_PATH},
     * then the usual directories ({@code /lib64}, {@code /usr/lib64}, {@code /lib}, {@code /usr/lib}
     * and their multiarch subdirectories). {@code "libc"}, {@code "libc.so"} and
     * {@code "libc.so.6"} all find {@code libc.so.6}; a name with a {@code /} is a path.
     *
     * @param name the library's name or path
     * @return the library
     * @throws IllegalArgumentException when no library, or more than one, has that name
     */
    public static Executable library(String name) {
        return open(Libraries.resolve(name, "self"));
    }

    /**
     * Opens a shared library by name as {@link #library(String)} does, but looking first at what
     * the given process has mapped ({@code /proc/PID/maps}), for probes on another process.
     *
     * @param name the library's name or path
     * @param pid the process
     * @return the library
     * @throws IllegalArgumentException when no library, or more than one, has that name
     */
    public static Executable library(String name, int pid) {
        if (pid <= 0) throw new IllegalArgumentException("pid: " + pid + " is not a process id");
        return open(Libraries.resolve(name, Integer.toString(pid)));
    }

    /**
     * The file.
     *
     * @return its path
     */
    public Path path() {
        return path;
    }

    /**
     * The file offset of a function, for a uprobe.
     *
     * @param symbol the function's name, optionally with a version ({@code name@@V}, {@code name@V})
     * @return the offset of its first instruction in the file
     * @throws IllegalArgumentException when no function or more than one has that name, or the
     *     name is a variable's, or no loadable segment holds it
     */
    public long offset(String symbol) {
        return offsetOf(resolve(symbol), symbol);
    }

    private long offsetOf(HostElf.Symbol s, String asked) {
        long off = HostElf.fileOffset(segments, s.value(), true);
        if (off < 0) {
            throw new IllegalArgumentException("symbol: " + asked + " in " + path + " is at 0x" + Long.toHexString(s.value())
                    + ", which no executable segment of the file holds");
        }
        return off;
    }

    private HostElf.Symbol resolve(String symbol) {
        if (symbol == null || symbol.isEmpty()) throw new IllegalArgumentException("symbol: empty");
        String name = symbol;
        String version = null;
        boolean defaultOnly = false;
        int at = symbol.indexOf('@');
        if (at == 0) throw new IllegalArgumentException("symbol: '" + symbol + "' has no name before its version");
        if (at > 0) {
            defaultOnly = symbol.startsWith("@@", at);
            version = symbol.substring(at + (defaultOnly ? 2 : 1));
            name = symbol.substring(0, at);
            if (version.isEmpty()) throw new IllegalArgumentException("symbol: '" + symbol + "' has an empty version");
        }
        List<HostElf.Symbol> named = new ArrayList<>();
        for (HostElf.Symbol s : symbols) {
            if (s.name().equals(name)) named.add(s);
        }
        if (named.isEmpty()) throw new IllegalArgumentException("symbol: " + path + " defines no symbol " + name);
        List<HostElf.Symbol> chosen = new ArrayList<>();
        for (HostElf.Symbol s : named) {
            if (version == null ? s.version() == null || !s.hidden() : version.equals(s.version()) && (!defaultOnly || !s.hidden())) {
                chosen.add(s);
            }
        }
        if (chosen.isEmpty() && version == null) chosen.addAll(named); // only hidden versions: any will do if one address
        if (chosen.isEmpty()) {
            throw new IllegalArgumentException("symbol: " + path + " has " + name + " only as " + spellings(named));
        }
        HostElf.Symbol first = chosen.get(0);
        for (HostElf.Symbol s : chosen) {
            if (s.value() != first.value()) {
                throw new IllegalArgumentException("symbol: " + symbol + " is ambiguous in " + path + ": " + spellings(chosen)
                        + " are at different addresses; name a version");
            }
        }
        for (HostElf.Symbol s : chosen) {
            if (s.type() == HostElf.STT_FUNC) return s;
        }
        for (HostElf.Symbol s : chosen) {
            if (s.type() == HostElf.STT_GNU_IFUNC) {
                throw new IllegalArgumentException("symbol: " + symbol + " in " + path + " is an indirect function (IFUNC): a"
                        + " probe there would fire in its resolver, once, not in the implementation it picks; probe the"
                        + " implementation's own symbol");
            }
        }
        throw new IllegalArgumentException("symbol: " + symbol + " in " + path + " is not a function (ELF symbol type "
                + first.type() + ")");
    }

    private static String spellings(List<HostElf.Symbol> syms) {
        Set<String> out = new LinkedHashSet<>();
        for (HostElf.Symbol s : syms) {
            String v = s.version() == null ? s.name() : s.name() + (s.hidden() ? "@" : "@@") + s.version();
            out.add(v + " (0x" + Long.toHexString(s.value()) + ")");
        }
        return String.join(", ", out);
    }

    /**
     * A uprobe on a function's first instruction.
     *
     * @param symbol the function, as {@link #offset(String)} takes it
     * @param pid only this process, or -1 for every process
     * @return the target, for {@code Bpf.openTarget} or {@code BpfProgram.attach}
     */
    public AttachTarget.Uprobe uprobe(String symbol, int pid) {
        return new AttachTarget.Uprobe(path.toString(), offset(symbol), false, pid);
    }

    /**
     * A uretprobe: fires when the function returns.
     *
     * @param symbol the function, as {@link #offset(String)} takes it
     * @param pid only this process, or -1 for every process
     * @return the target
     */
    public AttachTarget.Uprobe uretprobe(String symbol, int pid) {
        return new AttachTarget.Uprobe(path.toString(), offset(symbol), true, pid);
    }

    /**
     * One {@code uprobe_multi} link's options over several functions.
     *
     * @param symbols the functions, as {@link #offset(String)} takes them
     * @param cookies one cookie per function ({@code bpf_get_attach_cookie}), or null
     * @param pid only this process, or 0 for every process
     * @return the options for {@code LinkSpec}
     */
    public LinkOptions.UprobeMulti uprobeMulti(List<String> symbols, long[] cookies, int pid) {
        Objects.requireNonNull(symbols, "symbols");
        long[] offsets = new long[symbols.size()];
        for (int i = 0; i < offsets.length; i++) offsets[i] = offset(symbols.get(i));
        return new LinkOptions.UprobeMulti(path.toString(), offsets, null, cookies == null ? null : cookies.clone(), pid);
    }

    /**
     * The USDT probes ({@code .note.stapsdt}), in the file's order.
     *
     * @return the probes, one per site: a probe placed in several places appears once per place
     */
    public List<UsdtProbe> usdtProbes() {
        return usdt;
    }

    /**
     * The sites of one USDT probe.
     *
     * @param provider the provider, e.g. {@code libc}
     * @param name the probe, e.g. {@code memory_malloc_retry}
     * @return its sites, in the file's order
     * @throws IllegalArgumentException when the file has no such probe, listing the probes it has
     */
    public List<UsdtProbe> usdtProbes(String provider, String name) {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(name, "name");
        List<UsdtProbe> out = new ArrayList<>();
        for (UsdtProbe p : usdt) {
            if (p.provider().equals(provider) && p.name().equals(name)) out.add(p);
        }
        if (out.isEmpty()) {
            Set<String> have = new LinkedHashSet<>();
            for (UsdtProbe p : usdt) have.add(p.provider() + ":" + p.name());
            throw new IllegalArgumentException("provider/name: " + path + " has no USDT probe " + provider + ":" + name
                    + (have.isEmpty() ? " (it has none)" : "; it has " + String.join(", ", have)));
        }
        return out;
    }

    /**
     * One {@code uprobe_multi} link's options over every site of a USDT probe: each site's
     * offset, its semaphore (which the kernel raises while the link exists, so code guarded by
     * {@code PROVIDER_NAME_ENABLED()} runs), and the site's index in {@link #usdtProbes(String,
     * String)} plus {@code cookieBase} as its cookie, so a program can tell the sites apart and
     * find each one's {@link UsdtProbe#arguments()}.
     *
     * @param provider the provider
     * @param name the probe
     * @param cookieBase the first site's cookie
     * @param pid only this process, or 0 for every process
     * @return the options for {@code LinkSpec}
     * @throws IllegalArgumentException when the file has no such probe
     */
    public LinkOptions.UprobeMulti usdt(String provider, String name, long cookieBase, int pid) {
        List<UsdtProbe> sites = usdtProbes(provider, name);
        long[] offsets = new long[sites.size()];
        long[] semaphores = new long[sites.size()];
        long[] cookies = new long[sites.size()];
        boolean anySemaphore = false;
        for (int i = 0; i < offsets.length; i++) {
            offsets[i] = sites.get(i).offset();
            semaphores[i] = sites.get(i).semaphoreOffset();
            if (semaphores[i] < 0) {
                throw new IllegalArgumentException("provider/name: " + provider + ":" + name + " in " + path + " has a semaphore"
                        + " at an address no segment of the file holds");
            }
            anySemaphore |= semaphores[i] != 0;
            cookies[i] = cookieBase + i;
        }
        return new LinkOptions.UprobeMulti(path.toString(), offsets, anySemaphore ? semaphores : null, cookies, pid);
    }

    /**
     * One {@code uprobe_multi} link over every site of a USDT probe, cookies from 0.
     *
     * @param provider the provider
     * @param name the probe
     * @param pid only this process, or 0 for every process
     * @return the options
     * @see #usdt(String, String, long, int)
     */
    public LinkOptions.UprobeMulti usdt(String provider, String name, int pid) {
        return usdt(provider, name, 0, pid);
    }

    @Override
    public String toString() {
        return "Executable[" + path + "]";
    }
}
