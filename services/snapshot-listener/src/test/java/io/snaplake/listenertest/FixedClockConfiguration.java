package io.snaplake.listenertest;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

/**
 * A clock that stands still at the moment the tests started, so expected events can be written out
 * whole, occurredAt included. Outside the application's package, so component scanning never finds it;
 * the tests add it explicitly.
 */
@Configuration(proxyBeanMethods = false)
public class FixedClockConfiguration {

    public static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    @Bean
    @Primary
    Clock fixedClock() {
        return Clock.fixed(NOW, ZoneOffset.UTC);
    }
}
