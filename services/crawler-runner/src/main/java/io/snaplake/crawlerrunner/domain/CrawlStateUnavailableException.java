package io.snaplake.crawlerrunner.domain;

import io.snaplake.pipeline.DependencyUnavailableException;

/**
 * The crawler method's state of a partition could not be read (broker away): a copy of that partition cannot be
 * told apart from a replay of one already done, so its input is handled again once the state can be read.
 */
public final class CrawlStateUnavailableException extends DependencyUnavailableException {

    public CrawlStateUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
