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
    Script script = (f, cmd, attr) -> 0;

    @Override
    public synchronized long bpf(int cmd, long attr, int size) {
        calls.add(cmd);
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
    public int close(int fd) {
        return 0;
    }

    @Override
    public int dupCloexec(int fd) {
        return fd + 1;
    }

    @Override
    public long read(int fd, long buf, long len) {
        return 0;
    }

    @Override
    public int open(long path, int flags, int mode) {
        return -2;
    }

    @Override
    public int mount(long source, long target, long fstype, long flags, long data) {
        return -1;
    }

    @Override
    public int perfEventOpen(long attr, int pid, int cpu, int groupFd, long flags) {
        return -38;
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
