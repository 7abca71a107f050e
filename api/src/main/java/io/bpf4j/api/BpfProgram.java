package io.bpf4j.api;

import java.util.Objects;

/**
 * An owned, loaded program.
 *
 * {@snippet :
 * long[] insns = new Asm().mov64(Register.R0, 2).exit().toArray();     // return XDP_PASS
 * try (BpfProgram prog = BpfProgram.load(bpf, ProgramSpec.of(ProgramType.XDP, insns, "GPL"))) {
 *     TestRunResult r = prog.testRun(TestRunSpec.ofData(new byte[64]));
 *     assert r.retval() == 2;
 * }
 * }
 */
public final class BpfProgram extends BpfObject {
    private final ProgramType type;
    private final String name;
    private final String log;

    private BpfProgram(Bpf bpf, int fd, ProgramType type, String name, String log) {
        super(bpf, fd);
        this.type = type;
        this.name = name;
        this.log = log;
    }

    /**
     * Loads a program ({@code BPF_PROG_LOAD}).
     *
     * @param bpf the backend
     * @param spec the program
     * @return the handle
     * @throws VerifierException when the verifier refuses it, with the whole log
     */
    public static BpfProgram load(Bpf bpf, ProgramSpec spec) {
        Objects.requireNonNull(bpf, "bpf");
        Objects.requireNonNull(spec, "spec");
        LoadResult r = bpf.progLoad(spec);
        return new BpfProgram(bpf, r.fd(), spec.type(), spec.name(), r.log());
    }

    /**
     * Takes ownership of a program descriptor.
     *
     * @param bpf the backend
     * @param fd the descriptor, now owned by the handle (closed if reading its info fails)
     * @return the handle
     */
    public static BpfProgram fromFd(Bpf bpf, int fd) {
        Objects.requireNonNull(bpf, "bpf");
        ProgramInfo info;
        try {
            info = bpf.progGetInfo(fd);
        } catch (RuntimeException e) {
            bpf.closeFd(fd);
            throw e;
        }
        return new BpfProgram(bpf, fd, info.type(), info.name(), "");
    }

    /**
     * Opens a program by id.
     *
     * @param bpf the backend
     * @param id the id
     * @return the handle
     */
    public static BpfProgram fromId(Bpf bpf, int id) {
        return fromFd(bpf, bpf.progGetFdById(id));
    }

    /**
     * Opens a pinned program.
     *
     * @param bpf the backend
     * @param path the pin path
     * @return the handle
     */
    public static BpfProgram pinned(Bpf bpf, String path) {
        if (path == null || path.isEmpty()) throw new IllegalArgumentException("path: empty");
        return fromFd(bpf, bpf.objGet(path, 0));
    }

    /**
     * The program type.
     *
     * @return the type
     */
    public ProgramType type() {
        return type;
    }

    /**
     * The name.
     *
     * @return the name, possibly empty
     */
    public String name() {
        return name;
    }

    /**
     * The verifier log of the load, when the spec asked for one.
     *
     * @return the log, possibly empty
     */
    public String verifierLog() {
        return log;
    }

    /**
     * The program's info.
     *
     * @return the info, including id, tag and map ids
     */
    public ProgramInfo info() {
        return bpf().progGetInfo(fd());
    }

    /**
     * Runs the program on test input ({@code BPF_PROG_TEST_RUN}).
     *
     * @param spec the input
     * @return the result
     */
    public TestRunResult testRun(TestRunSpec spec) {
        return bpf().progTestRun(fd(), Objects.requireNonNull(spec, "spec"));
    }

    /**
     * Creates a link ({@code BPF_LINK_CREATE}) from this program.
     *
     * @param target the target descriptor or interface index
     * @param attachType the hook
     * @param flags hook-specific flags
     * @param options hook-specific options, or null
     * @return the owning link
     */
    public BpfLink link(int target, AttachType attachType, int flags, LinkOptions options) {
        int linkFd = bpf().linkCreate(new LinkSpec(fd(), target, attachType, flags, options));
        return BpfLink.adopt(bpf(), linkFd, attachType);
    }

    /**
     * Attaches with {@code BPF_PROG_ATTACH} (the hook holds the program until detached).
     *
     * @param target the target descriptor or interface index
     * @param attachType the hook
     * @param flags {@link AttachFlags}
     */
    public void attach(int target, AttachType attachType, int flags) {
        bpf().progAttach(AttachSpec.of(target, fd(), attachType, flags));
    }

    /**
     * Detaches with {@code BPF_PROG_DETACH}.
     *
     * @param target the target descriptor or interface index
     * @param attachType the hook
     */
    public void detach(int target, AttachType attachType) {
        bpf().progDetach(AttachSpec.of(target, fd(), attachType, 0));
    }

    @Override
    String describe() {
        return name.isEmpty() ? "program" : "program \"" + name + "\"";
    }
}
