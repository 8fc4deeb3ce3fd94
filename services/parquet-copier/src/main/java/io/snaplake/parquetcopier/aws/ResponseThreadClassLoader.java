package io.snaplake.parquetcopier.aws;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * Gives the CRT's response threads the copier's class loader before the SDK parses a response on them, so that
 * the StAX lookup finds Woodstox even when the service runs from a Spring Boot executable jar (see
 * docs/design/parquet-copier.md, "S3 client tuning").
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
