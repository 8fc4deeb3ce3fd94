package io.snaplake.exportscheduler;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** export-scheduler: SnapshotCreated in; ExportStarted, ExportCompleted or a failure out. */
@SpringBootApplication
public class ExportSchedulerApplication {

    public static void main(String[] args) {
        SpringApplication.run(ExportSchedulerApplication.class, args);
    }
}
