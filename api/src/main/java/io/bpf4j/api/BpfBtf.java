package io.bpf4j.api;

import java.util.Objects;

/**
 * An owned BTF object.
 *
 * {@snippet :
 * try (BpfBtf btf = BpfBtf.load(bpf, rawBtf)) {
 *     System.out.println(btf.info().id());
 * }
 * }
 */
public final class BpfBtf extends BpfObject {
    private final String log;

    private BpfBtf(Bpf bpf, int fd, String log) {
        super(bpf, fd);
        this.log = log;
    }

    /**
     * Loads raw BTF ({@code BPF_BTF_LOAD}).
     *
     * @param bpf the backend
     * @param raw header, type and string sections
     * @return the handle
     * @throws VerifierException when the kernel refuses the blob, with its log
     */
    public static BpfBtf load(Bpf bpf, byte[] raw) {
        Objects.requireNonNull(bpf, "bpf");
        Objects.requireNonNull(raw, "raw");
        LoadResult r = bpf.btfLoad(raw, 0);
        return new BpfBtf(bpf, r.fd(), r.log());
    }

    /**
     * Opens a BTF object by id.
     *
     * @param bpf the backend
     * @param id the id
     * @return the handle
     */
    public static BpfBtf fromId(Bpf bpf, int id) {
        return new BpfBtf(bpf, bpf.btfGetFdById(id), "");
    }

    /**
     * Takes ownership of a descriptor.
     *
     * @param bpf the backend
     * @param fd the descriptor, now owned by the handle
     * @return the handle
     */
    public static BpfBtf fromFd(Bpf bpf, int fd) {
        return new BpfBtf(bpf, fd, "");
    }

    /**
     * The object's info.
     *
     * @return the info
     */
    public BtfInfo info() {
        return with(bpf()::btfGetInfo);
    }

    /**
     * The log of the load, when one was written.
     *
     * @return the log, possibly empty
     */
    public String log() {
        return log;
    }

    @Override
    String describe() {
        return "btf";
    }
}
