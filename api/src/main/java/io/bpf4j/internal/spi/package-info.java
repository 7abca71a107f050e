/**
 * What the object layer asks of a backend beyond {@link io.bpf4j.api.Bpf}, exported only to
 * the backends. Nothing here is for applications.
 *
 * <p>The map element commands of {@link io.bpf4j.api.Bpf} take a bare descriptor number, so a
 * backend must learn the map's layout from the kernel on every such call (descriptor numbers
 * are reused the moment they are closed, by any code in the process). An owning handle already
 * knows its map's layout and keeps its descriptor open for the whole call, so it passes the
 * layout through {@link io.bpf4j.internal.spi.KnownMaps} and the backend makes one native call.
 */
package io.bpf4j.internal.spi;
