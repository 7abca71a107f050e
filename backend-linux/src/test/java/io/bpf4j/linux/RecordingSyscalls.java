package io.bpf4j.linux;

import io.bpf4j.linux.internal.sys.NativeBinding;
import io.bpf4j.linux.internal.sys.Syscalls;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The real chokepoint, recording every {@code bpf()} command and what the kernel answered, so
 * a test against the kernel can count what the backend asked it (a retry, a cached answer).
 */
final class RecordingSyscalls implements Syscalls {
    /** One {@code bpf()} call: the command and its return value. */
    record Call(int cmd, long rc) {
    }

    private final Syscalls real = NativeBinding.load().syscalls();
    private final List<Call> calls = new ArrayList<>();

    @Override
    public synchronized long bpf(int cmd, long attr, int size) {
        long rc = real.bpf(cmd, attr, size);
        calls.add(new Call(cmd, rc));
        return rc;
    }

    /** The calls of one command, in order. */
    synchronized List<Call> calls(int cmd) {
        List<Call> out = new ArrayList<>();
        for (Call c : calls) if (c.cmd() == cmd) out.add(c);
        return out;
    }

    synchronized void clear() {
        calls.clear();
        dups = 0;
        closes = 0;
    }

    @Override
    public synchronized int close(int fd) {
        closes++;
        return real.close(fd);
    }

    /** How many descriptors {@code dupCloexec} made and {@code close} closed since the last clear. */
    int dups;
    int closes;

    @Override
    public synchronized int dupCloexec(int fd) {
        dups++;
        return real.dupCloexec(fd);
    }

    @Override
    public long read(int fd, long buf, long len) {
        return real.read(fd, buf, len);
    }

    @Override
    public int open(long path, int flags, int mode) {
        return real.open(path, flags, mode);
    }

    @Override
    public int unlink(long path) {
        return real.unlink(path);
    }

    @Override
    public int mount(long source, long target, long fstype, long flags, long data) {
        return real.mount(source, target, fstype, flags, data);
    }

    @Override
    public int perfEventOpen(long attr, int pid, int cpu, int groupFd, long flags) {
        return real.perfEventOpen(attr, pid, cpu, groupFd, flags);
    }

    @Override
    public long mmap(long length, int prot, int fd, long offset) {
        return real.mmap(length, prot, fd, offset);
    }

    @Override
    public int munmap(long address, long length) {
        return real.munmap(address, length);
    }

    @Override
    public int epollCreate1(int flags) {
        return real.epollCreate1(flags);
    }

    @Override
    public int epollCtl(int epfd, int op, int fd, long event) {
        return real.epollCtl(epfd, op, fd, event);
    }

    @Override
    public int epollWait(int epfd, long events, int maxEvents, int timeoutMillis) {
        return real.epollWait(epfd, events, maxEvents, timeoutMillis);
    }

    @Override
    public int ifNameToIndex(long name) {
        return real.ifNameToIndex(name);
    }

    @Override
    public int eventfd(int initval, int flags) {
        return real.eventfd(initval, flags);
    }

    @Override
    public long write(int fd, long buf, long len) {
        return real.write(fd, buf, len);
    }

    @Override
    public int pageSize() {
        return real.pageSize();
    }

    @Override
    public ByteBuffer buffer(long address, int length) {
        return real.buffer(address, length);
    }

    @Override
    public long address(ByteBuffer direct) {
        return real.address(direct);
    }

    @Override
    public String name() {
        return "recording " + real.name();
    }
}
