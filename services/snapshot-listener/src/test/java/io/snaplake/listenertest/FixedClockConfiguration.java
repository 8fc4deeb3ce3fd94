package io.snaplake.listenertest;

import io.snaplake.snapshotlistener.ExpectedEvents;
import java.time.Clock;
import java.time.ZoneOffset;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

/**
 * A clock that stands still at the moment the tests started ({@link ExpectedEvents#NOW}), so expected events
 * can be written out whole, occurredAt included. Outside the application's package, so component scanning
 * never finds it; the tests add it explicitly.
 */
@Configuration(proxyBeanMethods = false)
public class FixedClockConfiguration {

    @Bean
    @Primary
    Clock fixedClock() {
        return Clock.fixed(ExpectedEvents.NOW, ZoneOffset.UTC);
    }
}
