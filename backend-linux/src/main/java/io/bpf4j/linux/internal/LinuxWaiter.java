package io.bpf4j.linux.internal;

import io.bpf4j.api.MappedRing;
import io.bpf4j.api.RingWaiter;
import io.bpf4j.linux.internal.uapi.BpfAttr;
import io.bpf4j.linux.internal.uapi.RingLayouts;
import java.nio.ByteBuffer;

/**
 * An {@code epoll} instance over rings' descriptors, plus an {@code eventfd} that
 * {@link #wakeup()} makes readable for good. Its buffers are its own, so waiting allocates
 * nothing and works on a closed backend. {@code wakeup} and {@code close} are serialized, so a
 * wake-up never writes to a descriptor number that was closed (and perhaps reused) meanwhile.
 */
final class LinuxWaiter implements RingWaiter {
    private static final int EINTR = 4;
    private static final int MAX_EVENTS = 16;
    private static final int EVENT_SIZE = RingLayouts.epollEventSize(System.getProperty("os.arch", ""));

    private final Kernel k;
    private final int epfd;
    private final int wakeFd;
    private final ByteBuffer events = BpfAttr.allocateDirect(MAX_EVENTS * 16);
    private final long eventsAddr;
    private final ByteBuffer one = BpfAttr.allocateDirect(8);
    private boolean closed;

    LinuxWaiter(Kernel k) {
        this.k = k;
        eventsAddr = k.sys.address(events);
        long ep = k.fd(k.sys.epollCreate1(RingLayouts.EPOLL_CLOEXEC));
        if (ep < 0) throw SysError.of("epoll_create1", null, ep, null);
        epfd = (int) ep;
        long ev = k.fd(k.sys.eventfd(0, RingLayouts.EFD_CLOEXEC | RingLayouts.EFD_NONBLOCK));
        if (ev < 0) {
            k.sys.close(epfd);
            throw SysError.of("eventfd", null, ev, null);
        }
        wakeFd = (int) ev;
        try {
            watch(wakeFd, RingLayouts.EPOLLIN);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private synchronized void watch(int fd, int mask) {
        if (closed) throw new IllegalStateException("waiter: closed");
        ByteBuffer e = BpfAttr.allocateDirect(16);
        e.putInt(0, mask);
        e.putLong(EVENT_SIZE - 8, fd);
        int rc = k.sys.epollCtl(epfd, RingLayouts.EPOLL_CTL_ADD, fd, k.sys.address(e));
        if (rc < 0) throw SysError.of("epoll_ctl", "fd " + fd, rc, "EPOLL_CTL_ADD");
    }

    @Override
    public void add(MappedRing ring) {
        if (!(ring instanceof LinuxRing r)) throw new IllegalArgumentException("ring: not mapped by the linux backend");
        watch(r.fd(), r.events);
    }

    @Override
    public boolean await(int timeoutMillis) {
        int n = k.sys.epollWait(epfd, eventsAddr, MAX_EVENTS, timeoutMillis < 0 ? -1 : timeoutMillis);
        if (n == -EINTR) return true;
        if (n < 0) throw SysError.of("epoll_wait", "fd " + epfd, n, null);
        return n > 0;
    }

    @Override
    public synchronized void wakeup() {
        if (closed) return;
        one.putLong(0, 1);
        k.sys.write(wakeFd, k.sys.address(one), 8);
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        k.sys.close(wakeFd);
        k.sys.close(epfd);
    }
}
