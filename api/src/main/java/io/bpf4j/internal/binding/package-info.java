/**
 * How the native backends pick their binding at run time: FFM on JDK 22+, JNA on 17 to 21.
 * Internal: exported only to the backends.
 */
package io.bpf4j.internal.binding;
