package io.bpf4j.api;

import java.util.Objects;

/**
 * Where a program goes in a multi-program hook (TCX, netkit, cgroups with mprog support):
 * first, last, before or after a program or link given by descriptor or id, or in place of a
 * program; with an optional expected revision, so a change made since the caller looked fails
 * with ESTALE instead of landing in the wrong place.
 *
 * {@snippet :
 * Anchor a = Anchor.before(firewall).expectRevision(3);   // before the firewall, if nothing moved
 * }
 *
 * @param flags the {@link AttachFlags} bits it stands for ({@code BEFORE}, {@code AFTER}, {@code ID},
 *     {@code LINK}, {@code REPLACE})
 * @param relative the relative program or link (descriptor, or id with {@link AttachFlags#ID}); 0
 *     for first / last
 * @param expectedRevision the hook's expected revision, 0 for no check
 */
public record Anchor(int flags, int relative, long expectedRevision) {
    private static final int KNOWN = AttachFlags.BEFORE | AttachFlags.AFTER | AttachFlags.ID | AttachFlags.LINK
            | AttachFlags.REPLACE;

    /**
     * Checks the flags.
     *
     * @throws IllegalArgumentException naming the bad attribute
     */
    public Anchor {
        if ((flags & ~KNOWN) != 0) throw new IllegalArgumentException("flags: unknown bits 0x" + Integer.toHexString(flags & ~KNOWN));
        if (relative < 0) throw new IllegalArgumentException("relative: negative");
        if (expectedRevision < 0) throw new IllegalArgumentException("expectedRevision: negative");
    }

    /** Anywhere (the kernel appends), no revision check. */
    public static final Anchor NONE = new Anchor(0, 0, 0);

    /**
     * Before every other program.
     *
     * @return the anchor
     */
    public static Anchor first() {
        return new Anchor(AttachFlags.BEFORE, 0, 0);
    }

    /**
     * After every other program.
     *
     * @return the anchor
     */
    public static Anchor last() {
        return new Anchor(AttachFlags.AFTER, 0, 0);
    }

    /**
     * Right before a program.
     *
     * @param program the program
     * @return the anchor
     */
    public static Anchor before(BpfProgram program) {
        return new Anchor(AttachFlags.BEFORE, Objects.requireNonNull(program, "program").fd(), 0);
    }

    /**
     * Right after a program.
     *
     * @param program the program
     * @return the anchor
     */
    public static Anchor after(BpfProgram program) {
        return new Anchor(AttachFlags.AFTER, Objects.requireNonNull(program, "program").fd(), 0);
    }

    /**
     * Right before the program a link holds.
     *
     * @param link the link
     * @return the anchor
     */
    public static Anchor before(BpfLink link) {
        return new Anchor(AttachFlags.BEFORE | AttachFlags.LINK, Objects.requireNonNull(link, "link").fd(), 0);
    }

    /**
     * Right after the program a link holds.
     *
     * @param link the link
     * @return the anchor
     */
    public static Anchor after(BpfLink link) {
        return new Anchor(AttachFlags.AFTER | AttachFlags.LINK, Objects.requireNonNull(link, "link").fd(), 0);
    }

    /**
     * Right before the program with this id.
     *
     * @param programId the id
     * @return the anchor
     */
    public static Anchor beforeProgramId(int programId) {
        return new Anchor(AttachFlags.BEFORE | AttachFlags.ID, programId, 0);
    }

    /**
     * Right after the program with this id.
     *
     * @param programId the id
     * @return the anchor
     */
    public static Anchor afterProgramId(int programId) {
        return new Anchor(AttachFlags.AFTER | AttachFlags.ID, programId, 0);
    }

    /**
     * Right before the link with this id.
     *
     * @param linkId the id
     * @return the anchor
     */
    public static Anchor beforeLinkId(int linkId) {
        return new Anchor(AttachFlags.BEFORE | AttachFlags.ID | AttachFlags.LINK, linkId, 0);
    }

    /**
     * Right after the link with this id.
     *
     * @param linkId the id
     * @return the anchor
     */
    public static Anchor afterLinkId(int linkId) {
        return new Anchor(AttachFlags.AFTER | AttachFlags.ID | AttachFlags.LINK, linkId, 0);
    }

    /**
     * In place of a program ({@code BPF_PROG_ATTACH} only; links replace with {@link BpfLink#update}).
     *
     * @param program the program to replace
     * @return the anchor
     */
    public static Anchor replace(BpfProgram program) {
        return new Anchor(AttachFlags.REPLACE, Objects.requireNonNull(program, "program").fd(), 0);
    }

    /**
     * A copy that fails with ESTALE unless the hook is at this revision.
     *
     * @param revision the revision a query returned
     * @return the copy
     */
    public Anchor expectRevision(long revision) {
        return new Anchor(flags, relative, revision);
    }
}
