/**
 * The eBPF instruction set: its encoding, a fluent assembler and a text assembler.
 *
 * <p>A program is what the kernel loads: an array of 64-bit little-endian instruction words
 * ({@code long[]}, one {@code struct bpf_insn} each, two for a 64-bit immediate load).
 * <ul>
 *   <li>{@link io.bpf4j.api.asm.Instruction} is one slot, with {@code encode()} /
 *       {@code decode(long)} and a readable {@code toString()};</li>
 *   <li>{@link io.bpf4j.api.asm.Opcodes} holds the constants of RFC 9669 and of the Linux
 *       extensions (pseudo sources, signed division, sign-extending moves and loads, byte swaps,
 *       32-bit jump offsets, atomics, load-acquire and store-release);</li>
 *   <li>{@link io.bpf4j.api.asm.Asm} builds programs in Java with labels for jumps and local
 *       calls; {@link io.bpf4j.api.asm.TextAssembler} reads the uBPF-style text of the
 *       bpf_conformance suite and writes it back; both give the same arrays;</li>
 *   <li>{@link io.bpf4j.api.asm.Helper} names the Linux helper functions by id.</li>
 * </ul>
 *
 * <p>Nothing here checks that a program is safe or will pass a verifier: the assembler encodes
 * what it is told, rejecting only what cannot be encoded. Bad input throws
 * {@link java.lang.IllegalArgumentException} with a message naming the parameter, the label or,
 * for text, the line.
 */
package io.bpf4j.api.asm;
