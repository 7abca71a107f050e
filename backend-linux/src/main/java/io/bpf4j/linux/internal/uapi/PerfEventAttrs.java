package io.bpf4j.linux.internal.uapi;

import java.nio.ByteBuffer;

/**
 * Encoder of {@code struct perf_event_attr} ({@code include/uapi/linux/perf_event.h}, Linux 6.18,
 * offsets checked against {@code bpftool btf dump file /sys/kernel/btf/vmlinux format c}) for the
 * events BPF programs attach to: tracepoints, kprobes and uprobes through their PMUs, and
 * generic counters; and for the BPF output events perf buffers read.
 */
public final class PerfEventAttrs {
    /** {@code PERF_ATTR_SIZE_VER8}: the struct up to {@code config3}; older kernels accept it with a zero tail. */
    public static final int SIZE = 136;
    /** {@code PERF_TYPE_SOFTWARE}. */
    public static final int TYPE_SOFTWARE = 1;
    /** {@code PERF_TYPE_TRACEPOINT}. */
    public static final int TYPE_TRACEPOINT = 2;
    /** {@code PERF_FLAG_FD_CLOEXEC}, a {@code perf_event_open} flag. */
    public static final long FLAG_FD_CLOEXEC = 8;

    /** Offset of {@code type}. */
    public static final int TYPE = 0;
    /** Offset of {@code size}. */
    public static final int SIZE_FIELD = 4;
    /** Offset of {@code config}. */
    public static final int CONFIG = 8;
    /** Offset of {@code sample_period} / {@code sample_freq}. */
    public static final int SAMPLE_PERIOD = 16;
    /** Offset of the bit field word ({@code disabled} is bit 0, {@code freq} bit 10). */
    public static final int FLAGS = 40;
    /** Offset of {@code config1} ({@code kprobe_func} / {@code uprobe_path}). */
    public static final int CONFIG1 = 56;
    /** Offset of {@code config2} ({@code probe_offset} / {@code kprobe_addr}). */
    public static final int CONFIG2 = 64;
    /** The {@code freq} bit of the bit field word. */
    public static final long FREQ_BIT = 1L << 10;
    /** The {@code watermark} bit of the bit field word: {@code wakeup_watermark} counts bytes. */
    public static final long WATERMARK_BIT = 1L << 14;
    /** Offset of {@code sample_type}. */
    public static final int SAMPLE_TYPE = 24;
    /** Offset of the union of {@code wakeup_events} and {@code wakeup_watermark}. */
    public static final int WAKEUP = 48;
    /** {@code PERF_COUNT_SW_BPF_OUTPUT}: the software event {@code bpf_perf_event_output} writes to. */
    public static final long COUNT_SW_BPF_OUTPUT = 10;
    /** {@code PERF_SAMPLE_RAW}: samples carry {@code u32 size; char data[size]}. */
    public static final long SAMPLE_RAW = 1L << 10;

    private PerfEventAttrs() {
    }

    /**
     * Writes an attr: type, size, config, config1, config2, and the sample period or frequency.
     * The event starts enabled ({@code disabled} = 0), which is what a BPF perf event link needs.
     *
     * @param b a zeroed direct buffer of at least {@link #SIZE} bytes
     * @param type {@code PERF_TYPE_*} or a dynamic PMU type (kprobe, uprobe)
     * @param config the config (tracepoint id; the retprobe bit for probes)
     * @param config1 address of a probe's NUL-terminated function name or path, else 0
     * @param config2 a probe's offset, else 0
     * @param samplePeriod sample every this many events, or 0
     * @param sampleFrequency samples per second (sets {@code freq}), or 0
     */
    public static void encode(ByteBuffer b, int type, long config, long config1, long config2, long samplePeriod,
            long sampleFrequency) {
        b.putInt(TYPE, type);
        b.putInt(SIZE_FIELD, SIZE);
        b.putLong(CONFIG, config);
        if (sampleFrequency != 0) {
            b.putLong(SAMPLE_PERIOD, sampleFrequency);
            b.putLong(FLAGS, FREQ_BIT);
        } else {
            b.putLong(SAMPLE_PERIOD, samplePeriod);
        }
        b.putLong(CONFIG1, config1);
        b.putLong(CONFIG2, config2);
    }

    /**
     * Writes the attr of a BPF output event, as libbpf's {@code perf_buffer__new} does: a
     * {@code PERF_COUNT_SW_BPF_OUTPUT} software event, every output a sample
     * ({@code sample_period} 1) of type {@code PERF_SAMPLE_RAW}, enabled at once.
     *
     * @param b a zeroed direct buffer of at least {@link #SIZE} bytes
     * @param wakeup samples, or with {@code watermark} bytes, between wake-ups
     * @param watermark whether {@code wakeup} is {@code wakeup_watermark}
     */
    public static void bpfOutput(ByteBuffer b, int wakeup, boolean watermark) {
        b.putInt(TYPE, TYPE_SOFTWARE);
        b.putInt(SIZE_FIELD, SIZE);
        b.putLong(CONFIG, COUNT_SW_BPF_OUTPUT);
        b.putLong(SAMPLE_PERIOD, 1);
        b.putLong(SAMPLE_TYPE, SAMPLE_RAW);
        b.putLong(FLAGS, watermark ? WATERMARK_BIT : 0);
        b.putInt(WAKEUP, wakeup);
    }
}
