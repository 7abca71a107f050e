package io.bpf4j.api.btf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The running Linux kernel's BTF, from sysfs: {@code /sys/kernel/btf/vmlinux} (the kernel's,
 * read and parsed once per process) and {@code /sys/kernel/btf/<module>} (each loaded module's,
 * split BTF on vmlinux, read on every call since modules come and go).
 *
 * <p>The kernel has these files when it was built with {@code CONFIG_DEBUG_INFO_BTF} (and, for
 * modules, {@code CONFIG_DEBUG_INFO_BTF_MODULES}). Reading them needs no privilege.
 */
public final class KernelBtf {
    /** Where the kernel publishes its BTF. */
    public static final Path DIRECTORY = Path.of("/sys/kernel/btf");

    private static final Object LOCK = new Object();
    private static volatile Btf vmlinux;

    private KernelBtf() {
    }

    /**
     * The kernel's BTF, read once per process; every call returns the same instance.
     *
     * @return vmlinux's BTF
     * @throws UncheckedIOException when the kernel has no BTF or it cannot be read (not cached:
     *     the next call tries again)
     * @throws BtfFormatException when its bytes are not BTF this library reads
     */
    public static Btf vmlinux() {
        Btf b = vmlinux;
        if (b == null) {
            synchronized (LOCK) {
                b = vmlinux;
                if (b == null) vmlinux = b = read(DIRECTORY.resolve("vmlinux"), null);
            }
        }
        return b;
    }

    /**
     * A loaded module's BTF, split on {@link #vmlinux()}; lookups in it see vmlinux's types too.
     *
     * @param name the module's name as in {@code /sys/kernel/btf}, e.g. {@code nf_tables}
     * @return the module's BTF, read now
     * @throws IllegalArgumentException when the name is empty, {@code vmlinux} or a path
     * @throws UncheckedIOException when the module is not loaded, has no BTF or cannot be read
     * @throws BtfFormatException when its bytes are not BTF this library reads
     */
    public static Btf module(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty() || name.equals("vmlinux") || name.contains("/") || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("name: \"" + name + "\" is not a module name");
        }
        return read(DIRECTORY.resolve(name), vmlinux());
    }

    /**
     * The modules that have BTF now.
     *
     * @return their names, sorted; empty when there are none or the kernel has no BTF directory
     * @throws UncheckedIOException when the directory exists but cannot be listed
     */
    public static List<String> modules() {
        if (!Files.isDirectory(DIRECTORY)) return List.of();
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> d = Files.newDirectoryStream(DIRECTORY)) {
            for (Path p : d) {
                String n = p.getFileName().toString();
                if (!n.equals("vmlinux")) names.add(n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("listing " + DIRECTORY + ": " + e.getMessage(), e);
        }
        Collections.sort(names);
        return Collections.unmodifiableList(names);
    }

    private static Btf read(Path file, Btf base) {
        try {
            return base == null ? Btf.read(file) : Btf.read(file, base);
        } catch (NoSuchFileException e) {
            String why = base == null
                    ? "this kernel publishes no BTF (it needs CONFIG_DEBUG_INFO_BTF)"
                    : "no such module with BTF (it is not loaded, or the kernel lacks CONFIG_DEBUG_INFO_BTF_MODULES)";
            throw new UncheckedIOException(file + ": " + why, e);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file + ": " + e.getMessage(), e);
        }
    }
}
