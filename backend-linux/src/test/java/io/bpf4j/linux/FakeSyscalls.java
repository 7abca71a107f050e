package io.bpf4j.linux;

import io.bpf4j.linux.internal.sys.Syscalls;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * A chokepoint that never reaches the kernel: buffers get fake addresses the fake can resolve
 * back, every {@code bpf()} call is recorded, and a script answers it. Lets the error paths run
 * without root.
 */
final class FakeSyscalls implements Syscalls {
    /** Answers one bpf() call; the attr buffer may be read and written. */
    interface Script {
        long answer(FakeSyscalls fake, int cmd, ByteBuffer attr);
    }

    private static final long BASE = 0x10_0000_0000L;
    private static final long STRIDE = 0x1_0000_0000L;
    private final List<ByteBuffer> buffers = new ArrayList<>();
    final List<Integer> calls = new ArrayList<>();
    /** The attr size of every bpf() call, beside {@link #calls}. */
    final List<Integer> sizes = new ArrayList<>();
    /** Every non-bpf call, e.g. {@code "open"}, {@code "dup 0"}, {@code "close 0"}. */
    final List<String> other = new ArrayList<>();
    Script script = (f, cmd, attr) -> 0;
    /** What {@code open} answers (a descriptor or -errno). */
    int openAnswer = -2;
    /** What {@code perf_event_open} answers. */
    int perfAnswer = -38;
    /** What {@code unlink} answers. */
    int unlinkAnswer = -2;
    /** What {@code read} answers (bytes read or -errno). */
    long readAnswer = 0;
    /** What {@code close} answers. */
    int closeAnswer = 0;
    /** The last {@code perf_event_open}: attr (a copy), pid, cpu. */
    ByteBuffer lastPerfAttr;
    int lastPerfPid;
    int lastPerfCpu;

    @Override
    public synchronized long bpf(int cmd, long attr, int size) {
        calls.add(cmd);
        sizes.add(size);
        return script.answer(this, cmd, at(attr));
    }

    /** The buffer a fake address points into, positioned at that address. */
    synchronized ByteBuffer at(long addr) {
        int i = (int) ((addr - BASE) / STRIDE);
        long off = (addr - BASE) % STRIDE;
        ByteBuffer b = buffers.get(i).duplicate().order(ByteOrder.LITTLE_ENDIAN);
        return b.position((int) off).slice().order(ByteOrder.LITTLE_ENDIAN);
    }

    int count(int cmd) {
        int n = 0;
        for (int c : calls) if (c == cmd) n++;
        return n;
    }

    @Override
    public synchronized int close(int fd) {
        other.add("close " + fd);
        return closeAnswer;
    }

    /** Like the kernel: the lowest free descriptor of at least 3; here simply 3 more. */
    @Override
    public synchronized int dupCloexec(int fd) {
        other.add("dup " + fd);
        return fd + 3;
    }

    @Override
    public long read(int fd, long buf, long len) {
        return readAnswer;
    }

    @Override
    public synchronized int open(long path, int flags, int mode) {
        other.add("open " + cString(path));
        return openAnswer;
    }

    @Override
    public synchronized int unlink(long path) {
        other.add("unlink " + cString(path));
        return unlinkAnswer;
    }

    /** The NUL-terminated string at a fake address. */
    synchronized String cString(long addr) {
        ByteBuffer b = at(addr);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; b.get(i) != 0; i++) sb.append((char) b.get(i));
        return sb.toString();
    }

    @Override
    public int mount(long source, long target, long fstype, long flags, long data) {
        return -1;
    }

    @Override
    public synchronized int perfEventOpen(long attr, int pid, int cpu, int groupFd, long flags) {
        other.add("perf_event_open");
        ByteBuffer a = at(attr);
        lastPerfAttr = ByteBuffer.allocate(a.getInt(4)).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < lastPerfAttr.capacity(); i++) lastPerfAttr.put(i, a.get(i));
        lastPerfPid = pid;
        lastPerfCpu = cpu;
        return perfAnswer;
    }

    /** ENOSYS: the fake kernel has no rings to map or wait on. */
    private static final int ENOSYS = 38;

    @Override
    public long mmap(long length, int prot, int fd, long offset) {
        return -ENOSYS;
    }

    @Override
    public int munmap(long address, long length) {
        return -ENOSYS;
    }

    @Override
    public int epollCreate1(int flags) {
        return -ENOSYS;
    }

    @Override
    public int epollCtl(int epfd, int op, int fd, long event) {
        return -ENOSYS;
    }

    @Override
    public int epollWait(int epfd, long events, int maxEvents, int timeoutMillis) {
        return -ENOSYS;
    }

    @Override
    public int ifNameToIndex(long name) {
        return -ENOSYS;
    }

    @Override
    public int eventfd(int initval, int flags) {
        return -ENOSYS;
    }

    @Override
    public long write(int fd, long buf, long len) {
        return -ENOSYS;
    }

    @Override
    public int pageSize() {
        return 4096;
    }

    @Override
    public ByteBuffer buffer(long address, int length) {
        throw new UnsupportedOperationException("the fake kernel maps nothing");
    }

    @Override
    public synchronized long address(ByteBuffer direct) {
        buffers.add(direct);
        return BASE + (buffers.size() - 1) * STRIDE;
    }

    @Override
    public String name() {
        return "fake";
    }
}
