package io.bpf4j.api;

import java.util.Objects;

/**
 * An owned link: the program stays attached while the link is open, pinned or otherwise held.
 * Closing the last descriptor of an unpinned link detaches it.
 */
public final class BpfLink extends BpfObject {
    private final AttachType attachType;

    private BpfLink(Bpf bpf, int fd, AttachType attachType) {
        super(bpf, fd);
        this.attachType = attachType;
    }

    static BpfLink adopt(Bpf bpf, int fd, AttachType attachType) {
        return new BpfLink(bpf, fd, attachType);
    }

    /**
     * Creates a link ({@code BPF_LINK_CREATE}).
     *
     * @param bpf the backend
     * @param spec the link's attributes
     * @return the handle
     */
    public static BpfLink create(Bpf bpf, LinkSpec spec) {
        Objects.requireNonNull(bpf, "bpf");
        Objects.requireNonNull(spec, "spec");
        return new BpfLink(bpf, bpf.linkCreate(spec), spec.attachType());
    }

    /**
     * Takes ownership of a link descriptor.
     *
     * @param bpf the backend
     * @param fd the descriptor, now owned by the handle
     * @return the handle
     */
    public static BpfLink fromFd(Bpf bpf, int fd) {
        return new BpfLink(Objects.requireNonNull(bpf, "bpf"), fd, null);
    }

    /**
     * Opens a link by id.
     *
     * @param bpf the backend
     * @param id the id
     * @return the handle
     */
    public static BpfLink fromId(Bpf bpf, int id) {
        return fromFd(bpf, bpf.linkGetFdById(id));
    }

    /**
     * Opens a pinned link.
     *
     * @param bpf the backend
     * @param path the pin path
     * @return the handle
     */
    public static BpfLink pinned(Bpf bpf, String path) {
        if (path == null || path.isEmpty()) throw new IllegalArgumentException("path: empty");
        return fromFd(bpf, bpf.objGet(path, 0));
    }

    /**
     * The hook this handle was created for, when known.
     *
     * @return the attach type, or null for a link opened by fd, id or pin
     */
    public AttachType attachType() {
        return attachType;
    }

    /**
     * The link's info.
     *
     * @return the info, with type-specific details
     */
    public LinkInfo info() {
        return with(bpf()::linkGetInfo);
    }

    /**
     * Swaps the program ({@code BPF_LINK_UPDATE}).
     *
     * @param newProgram the program to run from now on
     */
    public void update(BpfProgram newProgram) {
        Objects.requireNonNull(newProgram, "newProgram");
        withFd(n -> newProgram.withFd(p -> bpf().linkUpdate(n, p, 0, 0)));
    }

    /**
     * Swaps the program only if {@code expected} is the one attached now.
     *
     * @param newProgram the program to run from now on
     * @param expected the program that must be attached now (else EPERM)
     */
    public void update(BpfProgram newProgram, BpfProgram expected) {
        Objects.requireNonNull(newProgram, "newProgram");
        Objects.requireNonNull(expected, "expected");
        withFd(n -> newProgram.withFd(p -> expected.withFd(e -> bpf().linkUpdate(n, p, e, AttachFlags.REPLACE))));
    }

    /** Detaches the program now ({@code BPF_LINK_DETACH}); the handle stays open but defunct. */
    public void detach() {
        withFd(bpf()::linkDetach);
    }

    @Override
    String describe() {
        return attachType == null ? "link" : "link (" + attachType + ")";
    }
}
