package io.bpf4j.linux.internal.sys;

/** The {@code bpf()} system call number of the running architecture. */
public final class Arch {
    private Arch() {
    }

    /**
     * {@code __NR_bpf}: 321 on x86_64 ({@code arch/x86/entry/syscalls/syscall_64.tbl}), 280 on
     * aarch64 and riscv64 ({@code include/uapi/asm-generic/unistd.h}).
     *
     * @param osArch the {@code os.arch} property
     * @return the number, or -1 on an architecture this backend does not know
     */
    public static long bpfSyscallNumber(String osArch) {
        switch (osArch) {
            case "amd64":
            case "x86_64":
                return 321;
            case "aarch64":
            case "arm64":
            case "riscv64":
                return 280;
            default:
                return -1;
        }
    }

    /**
     * {@code __NR_perf_event_open}: 298 on x86_64, 241 on aarch64 and riscv64.
     *
     * @return the number, or -1 on an unknown architecture
     */
    public static long perfEventOpenSyscallNumber() {
        long bpf = bpfSyscallNumber();
        return bpf == 321 ? 298 : bpf == 280 ? 241 : -1;
    }

    /**
     * The number for this JVM's {@code os.arch}.
     *
     * @return the number, or -1
     */
    public static long bpfSyscallNumber() {
        return bpfSyscallNumber(System.getProperty("os.arch", ""));
    }
}
