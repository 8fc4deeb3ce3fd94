package io.snaplake.parquetcopier.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.concurrent.atomic.AtomicReference;
import javax.xml.stream.XMLInputFactory;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;

class S3ClientsTest {

    private static final String WOODSTOX = "com.ctc.wstx.stax.WstxInputFactory";

    @Test
    void s3ResponsesAreParsedWithWoodstox() {
        // The SDK's XML protocol asks StAX for whatever parser is on the classpath, once per thread: the
        // JDK's built-in one costs about three times Woodstox's CPU per CopyObject response.
        assertThat(XMLInputFactory.newInstance().getClass().getName()).isEqualTo(WOODSTOX);
    }

    @Test
    void responseThreadsParseWithWoodstox_evenWhenTheirContextLoaderCannotSeeIt() throws InterruptedException {
        // A CRT event-loop thread in a Spring Boot executable jar: its context loader (the system loader there)
        // does not see the nested jars. The platform loader plays that part here: it does not see Woodstox.
        assertThat(parserOnAThreadWith(ClassLoader.getPlatformClassLoader(), false)).isNotEqualTo(WOODSTOX);

        assertThat(parserOnAThreadWith(ClassLoader.getPlatformClassLoader(), true)).isEqualTo(WOODSTOX);
    }

    @Test
    void theCopiersClient_setsItsResponseThreadsClassLoader() {
        try (S3AsyncClient client = S3Clients.async(Region.US_EAST_1, URI.create("http://127.0.0.1:1"), 4)) {
            assertThat(client.serviceClientConfiguration().overrideConfiguration().executionInterceptors())
                    .hasAtLeastOneElementOfType(ResponseThreadClassLoader.class);
        }
    }

    /** The StAX parser a thread with {@code contextLoader} gets, after the interceptor's response hook ran on it or not. */
    private static String parserOnAThreadWith(ClassLoader contextLoader, boolean interceptorRan) throws InterruptedException {
        AtomicReference<String> parser = new AtomicReference<>();
        Thread responseThread = new Thread(() -> {
            if (interceptorRan) {
                new ResponseThreadClassLoader(S3Clients.class.getClassLoader()).afterTransmission(null, new ExecutionAttributes());
            }
            parser.set(XMLInputFactory.newInstance().getClass().getName());
        });
        responseThread.setContextClassLoader(contextLoader);
        responseThread.start();
        responseThread.join();
        return parser.get();
    }
}
