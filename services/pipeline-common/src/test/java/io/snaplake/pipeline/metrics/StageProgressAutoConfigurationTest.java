package io.snaplake.pipeline.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snaplake.pipeline.Stage;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class StageProgressAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(StageProgressAutoConfiguration.class));

    @Test
    void givesAStageItsProgress_namedByTheApplication() {
        runner.withPropertyValues("spring.application.name=parquet-copier").run(context ->
                assertThat(context.getBean(StageProgress.class).stage()).isEqualTo(Stage.PARQUET_COPIER));
    }

    @Test
    void startsAnApplicationThatIsNoStage_andRefusesItsProgress_sayingWhy() {
        runner.withPropertyValues("spring.application.name=relay-test").run(context -> {
            assertThat(context).hasNotFailed();
            assertThatThrownBy(() -> context.getBean(StageProgress.class)).rootCause()
                    .hasMessageContaining("spring.application.name is 'relay-test', which names no snaplake stage");
        });
    }
}
