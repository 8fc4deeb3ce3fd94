package io.snaplake.exportscheduler.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.snaplake.exportscheduler.domain.ExecutorSchedulerTimer;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Status;

/** The loop's real thread: readiness is DOWN while a pass hangs, UP again once it returns, DOWN once the loop stopped. */
class SchedulerLoopHealthTest {

    @Test
    void isDown_whileAPassHangs_andOnceTheLoopStopped() throws Exception {
        ExecutorSchedulerTimer loop = new ExecutorSchedulerTimer(Clock.systemUTC());
        SchedulerLoopHealth health = new SchedulerLoopHealth(loop, Duration.ofMillis(300));
        CountDownLatch hangs = new CountDownLatch(1);
        CountDownLatch running = new CountDownLatch(1);
        assertThat(health.health().getStatus()).isEqualTo(Status.UP);

        loop.runAt(Clock.systemUTC().instant(), () -> {
            running.countDown();
            try {
                hangs.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        running.await();
        await().atMost(Duration.ofSeconds(5)).until(() -> health.health().getStatus().equals(Status.DOWN));
        assertThat(health.health().getDetails().get("reason").toString()).startsWith("a pass of the scheduler loop has been running since");

        hangs.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> health.health().getStatus().equals(Status.UP));

        loop.close();
        assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);
    }
}
