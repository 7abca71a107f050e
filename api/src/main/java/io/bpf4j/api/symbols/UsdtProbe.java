package io.bpf4j.api.symbols;

import java.util.List;
import java.util.Objects;

/**
 * One site of a USDT probe (a {@code stapsdt} note, as {@code <sys/sdt.h>} places them): where a
 * uprobe goes, the semaphore that enables it, and where its arguments are at that instruction.
 *
 * @param provider the provider, e.g. {@code libc}
 * @param name the probe's name
 * @param offset the file offset of the probe's instruction (a {@code nop})
 * @param semaphoreOffset the file offset of its semaphore (a {@code unsigned short} the kernel
 *     raises while a uprobe with it as {@code ref_ctr_offset} exists), 0 when it has none, or -1
 *     when the note names an address no segment of the file holds
 * @param argumentText the argument specifications as the compiler wrote them, e.g.
 *     {@code -4@%edi 8@-8(%rbp)}
 */
public record UsdtProbe(String provider, String name, long offset, long semaphoreOffset, String argumentText) {
    /**
     * Checks the names.
     *
     * @throws NullPointerException when a name or the argument text is null
     */
    public UsdtProbe {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(argumentText, "argumentText");
    }

    /**
     * The arguments, parsed from {@link #argumentText()}.
     *
     * @return one per argument, in order
     * @throws IllegalArgumentException when a specification has a form this parser does not
     *     know (e.g. an indexed address such as {@code 8@(%rax,%rbx,8)}), naming it
     */
    public List<UsdtArgument> arguments() {
        return UsdtArgument.parseAll(argumentText);
    }
}
