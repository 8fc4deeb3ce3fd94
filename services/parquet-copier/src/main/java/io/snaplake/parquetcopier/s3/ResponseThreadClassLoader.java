package io.snaplake.parquetcopier.s3;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * Gives the threads that handle S3's responses the copier's own class loader as their context class loader,
 * before the SDK parses a response on them.
 *
 * <p>Why: the CRT HTTP client delivers every response on its native event-loop threads, which the JVM attaches
 * with the system class loader as their context loader. The SDK's XML protocol picks its StAX parser through
 * that loader (JAXP's lookup, once per thread, kept for the thread's life). Run from a Spring Boot executable
 * jar ({@code java -jar}: the CLI and its benchmarks, the demo's services), the system loader cannot see the
 * nested jars, so Woodstox, on the copier's class path for its lower CPU per response, was passed over for
 * the JDK's built-in parser on exactly the threads that parse every response (~10% of the client's CPU
 * samples). With a flat class path (the Jib image) the system loader already sees Woodstox and this changes
 * nothing. {@code afterTransmission} runs on the thread that received the response's headers, before the
 * body of a result or an error is parsed.
 */
final class ResponseThreadClassLoader implements ExecutionInterceptor {

    private final ClassLoader loader;

    ResponseThreadClassLoader(ClassLoader loader) {
        this.loader = loader;
    }

    @Override
    public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes executionAttributes) {
        Thread thread = Thread.currentThread();
        if (thread.getContextClassLoader() != loader) {
            thread.setContextClassLoader(loader);
        }
    }
}
