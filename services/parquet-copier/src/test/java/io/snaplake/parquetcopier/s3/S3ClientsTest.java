package io.snaplake.parquetcopier.s3;

import static org.assertj.core.api.Assertions.assertThat;

import javax.xml.stream.XMLInputFactory;
import org.junit.jupiter.api.Test;

class S3ClientsTest {

    @Test
    void s3ResponsesAreParsedWithWoodstox() {
        // The SDK's XML protocol asks StAX for whatever parser is on the classpath, once per thread: the
        // JDK's built-in one costs about three times Woodstox's CPU per CopyObject response.
        assertThat(XMLInputFactory.newInstance().getClass().getName()).isEqualTo("com.ctc.wstx.stax.WstxInputFactory");
    }
}
