package io.snaplake.snapshotlistener;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Stage 1 of snaplake: announces every automated snapshot of the configured clusters and instances
 * once, as a SnapshotCreated event, whether RDS's event arrives, the reconciliation sweep finds it or an
 * operator asks for it.
 */
@SpringBootApplication
public class SnapshotListenerApplication {

    public static void main(String[] args) {
        SpringApplication.run(SnapshotListenerApplication.class, args);
    }
}
