package io.bpf4j.api.object;

import io.bpf4j.api.BpfUnsupportedException;
import io.bpf4j.api.Operation;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * The value of the {@code .kconfig} map, as libbpf's {@code bpf_object__resolve_externs()}
 * fills it: {@code LINUX_KERNEL_VERSION} from the kernel's release, {@code CONFIG_*} from the
 * load options' configuration text and then the running kernel's ({@code /proc/config.gz}, else
 * {@code /boot/config-RELEASE}); {@code y}/{@code n}/{@code m} into {@code bool},
 * {@code enum libbpf_tristate} or {@code char}, numbers into integers, quoted strings into char
 * arrays. A {@code __weak} extern nothing sets stays zero; a strong one is an error naming it.
 */
final class Kconfig {
    /** The largest configuration file read; real ones are a few hundred kilobytes. */
    private static final int MAX_CONFIG = 16 << 20;

    private final String file;
    private final KernelView kernel;
    private final LoadOptions opts;
    private final byte[] value;
    private final Map<String, Externs.Extern> unset = new LinkedHashMap<>();

    private Kconfig(String file, List<Externs.Extern> externs, int size, KernelView kernel, LoadOptions opts) {
        this.file = file;
        this.kernel = kernel;
        this.opts = opts;
        this.value = new byte[size];
        for (Externs.Extern e : externs) unset.put(e.name(), e);
    }

    /**
     * The {@code .kconfig} map's value for an object.
     *
     * @throws ObjectFormatException when a value does not fit its extern's type
     * @throws BpfUnsupportedException naming a strong extern that nothing sets
     */
    static byte[] value(ObjectSpec spec, KernelView kernel, LoadOptions opts) {
        Externs x = spec.externs();
        Kconfig k = new Kconfig(spec.file(), x.kconfig(), x.kconfigSize(), kernel, opts);
        k.resolve();
        return k.value;
    }

    private void resolve() {
        Externs.Extern v = unset.remove("LINUX_KERNEL_VERSION");
        if (v != null) version(v);
        for (Externs.Extern e : List.copyOf(unset.values())) {
            // libbpf: LINUX_* externs are virtual, filled by the loader; an unknown one is zero if __weak.
            if (e.name().startsWith("LINUX_") && e.weak()) {
                unset.remove(e.name());
            } else if (!e.name().startsWith("CONFIG_")) {
                throw error(e, "is not a value the loader knows (LINUX_KERNEL_VERSION, CONFIG_*)");
            }
        }
        if (unset.isEmpty()) return;
        opts.kconfig().ifPresent(t -> parse(t, "the load options' configuration"));
        String source = null;
        if (!unset.isEmpty() && kernel.host()) {
            String[] found = systemConfig();
            if (found != null) {
                parse(found[1], found[0]);
                source = found[0];
            }
        }
        List<String> missing = new ArrayList<>();
        for (Externs.Extern e : unset.values()) {
            if (!e.weak()) missing.add(e.name()); // a weak one stays zero, as libbpf leaves it
        }
        if (missing.isEmpty()) return;
        String where = source != null ? "neither " + source + (opts.kconfig().isPresent() ? " nor the load options' configuration" : "")
                + " sets " + (missing.size() == 1 ? "it" : "them")
                : kernel.host() ? "the kernel's configuration is in neither /proc/config.gz nor /boot/config-" + release()
                : "the " + kernel.backend() + " backend is not the running kernel, so only the load options' configuration"
                        + " (LoadOptions.withKconfig) sets them" + (opts.kconfig().isPresent() ? ", and it does not" : "");
        throw new BpfUnsupportedException(kernel.backend(), Operation.PROG_LOAD, file + ": .kconfig extern"
                + (missing.size() == 1 ? " " : "s ") + String.join(", ", missing) + " (not __weak) " + (missing.size() == 1 ? "has" : "have")
                + " no value: " + where);
    }

    private void version(Externs.Extern e) {
        int v = opts.kernelVersion();
        if (v == 0 && kernel.host()) v = parseRelease(release());
        if (v == 0) {
            if (e.weak()) return;
            throw new BpfUnsupportedException(kernel.backend(), Operation.PROG_LOAD, file + ": extern 'LINUX_KERNEL_VERSION'"
                    + " (.kconfig, not __weak) has no value: the " + kernel.backend() + " backend is not the running kernel;"
                    + " give it with LoadOptions.withKernelVersion");
        }
        if (e.kcfg() != Externs.KcfgType.INT) throw error(e, "must be an integer of 2, 4 or 8 bytes to hold a version");
        number(e, v, String.valueOf(v));
    }

    /** libbpf's {@code KERNEL_VERSION(major, minor, patch)} of a release such as {@code 6.18.44-fc}; 0 when unparsable. */
    static int parseRelease(String release) {
        int[] n = new int[3];
        int i = 0;
        int at = 0;
        while (i < 3 && at < release.length()) {
            int start = at;
            while (at < release.length() && Character.isDigit(release.charAt(at))) at++;
            if (at == start || at - start > 9) break;
            n[i++] = Integer.parseInt(release.substring(start, at));
            if (at >= release.length() || release.charAt(at) != '.') break;
            at++;
        }
        if (i < 2 || n[0] > 0xffff || n[1] > 255) return 0;
        return n[0] << 16 | n[1] << 8 | Math.min(n[2], 255);
    }

    private static String release() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim();
        } catch (IOException e) {
            return System.getProperty("os.version", "");
        }
    }

    /** The running kernel's configuration: its source and text, or null when there is none. */
    private static String[] systemConfig() {
        Path gz = Path.of("/proc/config.gz");
        try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
            return new String[] {gz.toString(), read(in)};
        } catch (NoSuchFileException e) {
            // no IKCONFIG_PROC: try /boot
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + gz + ": " + e.getMessage(), e);
        }
        Path boot = Path.of("/boot/config-" + release());
        try (InputStream in = Files.newInputStream(boot)) {
            return new String[] {boot.toString(), read(in)};
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + boot + ": " + e.getMessage(), e);
        }
    }

    private static String read(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        for (int n; (n = in.read(buf)) > 0; ) {
            out.write(buf, 0, n);
            if (out.size() > MAX_CONFIG) throw new IOException("larger than " + MAX_CONFIG + " bytes");
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** libbpf's {@code bpf_object__process_kconfig_line()}, for each line: the first value of an extern wins. */
    private void parse(String text, String source) {
        for (String line : text.split("\n", -1)) {
            if (unset.isEmpty()) return;
            line = line.strip();
            if (!line.startsWith("CONFIG_")) continue; // comments ("# CONFIG_X is not set") and blanks
            int eq = line.indexOf('=');
            if (eq < 0) throw new IllegalArgumentException(source + ": line '" + line + "' has no '='");
            Externs.Extern e = unset.get(line.substring(0, eq));
            if (e == null) continue;
            String val = line.substring(eq + 1);
            if (val.isEmpty()) throw error(e, "has an empty value in " + source);
            char c = val.charAt(0);
            if (val.length() == 1 && (c == 'y' || c == 'n' || c == 'm')) {
                tristate(e, c);
            } else if (c == '"') {
                string(e, val, source);
            } else {
                long n;
                try {
                    n = parseNumber(val);
                } catch (NumberFormatException bad) {
                    throw error(e, "value '" + val + "' in " + source + " is not a number");
                }
                if (e.kcfg() != Externs.KcfgType.INT && e.kcfg() != Externs.KcfgType.CHAR) {
                    throw error(e, "value '" + val + "' in " + source + " is a number, for an integer type");
                }
                number(e, n, val);
            }
            unset.remove(e.name());
        }
    }

    /** {@code strtoull(value, &end, 0)}: decimal, {@code 0x} hexadecimal or {@code 0} octal, optionally negative. */
    static long parseNumber(String s) {
        boolean neg = s.startsWith("-");
        String d = neg ? s.substring(1) : s;
        long v;
        if (d.startsWith("0x") || d.startsWith("0X")) v = Long.parseUnsignedLong(d.substring(2), 16);
        else if (d.length() > 1 && d.startsWith("0")) v = Long.parseUnsignedLong(d.substring(1), 8);
        else v = Long.parseUnsignedLong(d);
        return neg ? -v : v;
    }

    /** libbpf's {@code set_kcfg_value_tri()}. */
    private void tristate(Externs.Extern e, char c) {
        switch (e.kcfg()) {
            case BOOL -> {
                if (c == 'm') throw error(e, "value 'm' is a tristate, for enum libbpf_tristate or char, not bool");
                value[e.offset()] = (byte) (c == 'y' ? 1 : 0);
            }
            case TRISTATE -> putLe(e.offset(), e.size(), c == 'y' ? 1 : c == 'm' ? 2 : 0);
            case CHAR -> value[e.offset()] = (byte) c;
            default -> throw error(e, "value '" + c + "' is for bool, enum libbpf_tristate or char");
        }
    }

    /** libbpf's {@code set_kcfg_value_str()}: the string without its quotes, cut to the array with a NUL kept. */
    private void string(Externs.Extern e, String val, String source) {
        if (e.kcfg() != Externs.KcfgType.CHAR_ARR) throw error(e, "value " + val + " is a string, for a char array");
        if (val.length() < 2 || !val.endsWith("\"")) throw error(e, "value " + val + " in " + source + " is not a quoted string");
        byte[] s = val.substring(1, val.length() - 1).getBytes(StandardCharsets.UTF_8);
        int n = Math.min(s.length, e.size() - 1);
        System.arraycopy(s, 0, value, e.offset(), n);
    }

    /** libbpf's {@code set_kcfg_value_num()}: the number must fit the integer's size. */
    private void number(Externs.Extern e, long n, String text) {
        int size = e.size();
        if (size < 8) {
            long min = e.signed() ? -(1L << (size * 8 - 1)) : 0;
            long max = e.signed() ? (1L << (size * 8 - 1)) - 1 : (1L << (size * 8)) - 1;
            if (n < min || n > max) throw error(e, "value " + text + " does not fit its " + size + "-byte integer");
        }
        putLe(e.offset(), size, n);
    }

    private void putLe(int at, int size, long v) {
        for (int i = 0; i < size; i++) value[at + i] = (byte) (v >>> (8 * i));
    }

    private ObjectFormatException error(Externs.Extern e, String why) {
        return new ObjectFormatException(file, Externs.KCONFIG, e.name(), why);
    }
}
