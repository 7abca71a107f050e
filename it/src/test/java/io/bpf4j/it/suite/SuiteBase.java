package io.bpf4j.it.suite;

import io.bpf4j.api.Bpf;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/** One backend instance per test class, from the subclass's {@link Backend}. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SuiteBase {
    protected Bpf bpf;

    /** The backend the subclass tests. */
    protected abstract Backend backend();

    @BeforeAll
    void openBackend() {
        bpf = backend().open();
    }

    @AfterAll
    void closeBackend() {
        if (bpf != null) bpf.close();
        backend().finish();
    }

    String pinDir() {
        return backend().pinDir();
    }

    void unpin(String path) {
        backend().unpin(path);
    }
}
