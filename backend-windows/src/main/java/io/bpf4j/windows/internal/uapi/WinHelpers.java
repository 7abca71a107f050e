package io.bpf4j.windows.internal.uapi;

import java.util.HashMap;
import java.util.Map;

/**
 * Helper ids: the Linux numbers the assembler and Linux-built code use, and eBPF for Windows'
 * numbers ({@code ebpf_helper_id_t}, include/ebpf_structs.h@Release-v0.21.0:140-174 and
 * ebpf_structs.h@v1.5.0:147-184; a row's "since" is the first tag with it, 33 and 34 at Release-v1.0.0-rc1,
 * 35 at v1.4.0:183). Only 1 to 3 and 8 coincide, so a program's {@code call} instructions are
 * renumbered before it is loaded. A Linux helper with no Windows counterpart makes the load
 * unsupported before any native call.
 */
public final class WinHelpers {
    /** A Linux helper's Windows number and the first release that has it. */
    private record Row(int windows, String name, String since) {
    }

    private static final Map<Integer, Row> BY_LINUX = new HashMap<>();

    static {
        put(1, 1, "map_lookup_elem", "0.17");
        put(2, 2, "map_update_elem", "0.17");
        put(3, 3, "map_delete_elem", "0.17");
        put(8, 8, "get_smp_processor_id", "0.17");
        put(12, 5, "tail_call", "0.17");
        put(7, 6, "get_prandom_u32", "0.17");
        put(125, 7, "ktime_get_boot_ns", "0.17");
        put(5, 9, "ktime_get_ns", "0.17");
        put(28, 10, "csum_diff", "0.17");
        put(130, 11, "ringbuf_output", "0.17");
        put(87, 16, "map_push_elem", "0.17");
        put(88, 17, "map_pop_elem", "0.17");
        put(89, 18, "map_peek_elem", "0.17");
        put(14, 19, "get_current_pid_tgid", "0.17");
        put(46, 26, "get_socket_cookie", "0.17");
        put(25, 32, "perf_event_output", "0.21.0");
        put(51, 35, "redirect_map", "1.4.0");
    }

    /** Linux's variadic {@code bpf_trace_printk}: Windows splits it by argument count (12 to 15). */
    public static final int LINUX_TRACE_PRINTK = 6;

    private WinHelpers() {
    }

    private static void put(int linux, int windows, String name, String since) {
        BY_LINUX.put(linux, new Row(windows, name, since));
    }

    /**
     * The Windows number of a Linux helper id.
     *
     * @param linuxId the Linux id
     * @return the Windows id, or -1 when eBPF for Windows has no such helper
     */
    public static int toWindows(int linuxId) {
        Row r = BY_LINUX.get(linuxId);
        return r == null ? -1 : r.windows();
    }

    /**
     * The Linux id of a Windows helper number, for tests and diagnostics.
     *
     * @param windowsId the Windows id
     * @return the Linux id, or -1 for a Windows-only helper
     */
    public static int toLinux(int windowsId) {
        for (Map.Entry<Integer, Row> e : BY_LINUX.entrySet()) {
            if (e.getValue().windows() == windowsId) return e.getKey();
        }
        return -1;
    }

    /**
     * Why a Linux helper cannot be used on Windows, for the unsupported exception.
     *
     * @param linuxId the Linux id
     * @return the reason
     */
    public static String missing(int linuxId) {
        if (linuxId == LINUX_TRACE_PRINTK) {
            return "not in eBPF for Windows: helper 6 (bpf_trace_printk) is split by argument count into"
                    + " bpf_trace_printk2..5 (Windows ids 12 to 15); call those ids directly";
        }
        return "not in eBPF for Windows: Linux helper " + linuxId + " has no Windows counterpart";
    }

    /**
     * The first release with a helper, for reasons.
     *
     * @param linuxId the Linux id
     * @return the version, or null
     */
    public static String since(int linuxId) {
        Row r = BY_LINUX.get(linuxId);
        return r == null ? null : r.since();
    }
}
