package io.bpf4j.linux.internal.uapi;

/**
 * Where the kernel puts what the event rings need, and the constants of the calls that reach
 * them (Linux 6.18, offsets checked against {@code bpftool btf dump file /sys/kernel/btf/vmlinux}).
 *
 * <p><b>Ring buffer maps</b> ({@code kernel/bpf/ringbuf.c}): mmap offset 0 is the consumer page,
 * offset one page the producer page, followed by the data area mapped twice
 * ({@code ringbuf_map_mmap_kern/user}). A {@code RINGBUF} allows writing only the consumer page; a
 * {@code USER_RINGBUF} only the producer page and the data. The positions are the first
 * {@code unsigned long} of their pages.
 *
 * <p><b>Perf rings</b> ({@code include/uapi/linux/perf_event.h}): one {@code struct
 * perf_event_mmap_page} followed by 2^n data pages; {@code data_head}, {@code data_tail},
 * {@code data_offset} and {@code data_size} at bytes 1024, 1032, 1040 and 1048.
 */
public final class RingLayouts {
    /** {@code PROT_READ}. */
    public static final int PROT_READ = 1;
    /** {@code PROT_WRITE}. */
    public static final int PROT_WRITE = 2;

    /** {@code perf_event_mmap_page.data_head}. */
    public static final int DATA_HEAD = 1024;
    /** {@code perf_event_mmap_page.data_tail}. */
    public static final int DATA_TAIL = 1032;
    /** {@code perf_event_mmap_page.data_offset} (Linux 4.1+; 0 before: the data starts a page in). */
    public static final int DATA_OFFSET = 1040;
    /** {@code perf_event_mmap_page.data_size}. */
    public static final int DATA_SIZE = 1048;

    /** {@code EPOLL_CLOEXEC}. */
    public static final int EPOLL_CLOEXEC = 0x80000;
    /** {@code EPOLL_CTL_ADD}. */
    public static final int EPOLL_CTL_ADD = 1;
    /** {@code EPOLLIN}. */
    public static final int EPOLLIN = 0x001;
    /** {@code EPOLLOUT}. */
    public static final int EPOLLOUT = 0x004;
    /** {@code EFD_CLOEXEC}. */
    public static final int EFD_CLOEXEC = 0x80000;
    /** {@code EFD_NONBLOCK}. */
    public static final int EFD_NONBLOCK = 0x800;

    private RingLayouts() {
    }

    /**
     * The size of {@code struct epoll_event}: packed (12 bytes) on x86-64, where the kernel
     * declares it {@code __attribute__((packed))}; 16 elsewhere.
     *
     * @param osArch the {@code os.arch} property
     * @return bytes
     */
    public static int epollEventSize(String osArch) {
        return osArch.equals("amd64") || osArch.equals("x86_64") ? 12 : 16;
    }
}
