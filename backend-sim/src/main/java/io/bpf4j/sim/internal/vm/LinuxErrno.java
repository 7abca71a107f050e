package io.bpf4j.sim.internal.vm;

/** The few Linux errno values helpers return, negated, to programs. */
final class LinuxErrno {
    private LinuxErrno() {}

    static final int EPERM = 1;
    static final int ENOENT = 2;
    static final int E2BIG = 7;
    static final int EAGAIN = 11;
    static final int ENOMEM = 12;
    static final int EACCES = 13;
    static final int EFAULT = 14;
    static final int EBUSY = 16;
    static final int EEXIST = 17;
    static final int EINVAL = 22;
    static final int ENODEV = 19;
    static final int ENOSPC = 28;
    static final int ERANGE = 34;
    static final int EBADMSG = 74;
    static final int EOPNOTSUPP = 95;
    /** The kernel-internal "operation not supported" some helpers return. */
    static final int ENOTSUPP = 524;
}
