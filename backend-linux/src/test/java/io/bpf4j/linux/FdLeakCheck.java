package io.bpf4j.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class that ends holding more descriptors than it started with. Only the kinds
 * the tests open are counted ({@link RealKernel#bpfDescriptors()}): the JVM opens jars and
 * sockets of its own as classes load.
 */
final class FdLeakCheck implements BeforeAllCallback, AfterAllCallback {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(FdLeakCheck.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getStore(NS).put("before", RealKernel.bpfDescriptors());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        long before = context.getStore(NS).get("before", Long.class);
        assertEquals(before, RealKernel.bpfDescriptors(),
                context.getRequiredTestClass().getSimpleName() + " leaked BPF descriptors");
    }
}
