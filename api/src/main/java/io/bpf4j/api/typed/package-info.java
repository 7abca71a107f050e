/**
 * Typed map views: {@link io.bpf4j.api.typed.Codec}s turn Java values into keys and values laid
 * out as the program's C types ({@link io.bpf4j.api.typed.Codecs}: numbers, bytes, addresses, LPM
 * keys, records), checked against the map's BTF when it has one, and a view per map kind
 * ({@link io.bpf4j.api.typed.TypedMap}, {@link io.bpf4j.api.typed.PerCpuMap},
 * {@link io.bpf4j.api.typed.TypedQueue}, {@link io.bpf4j.api.typed.TypedBloomFilter},
 * {@link io.bpf4j.api.typed.ProgramArray}, {@link io.bpf4j.api.typed.MapOfMaps}).
 */
package io.bpf4j.api.typed;
