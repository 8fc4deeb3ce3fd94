package io.snaplake.lab.demo;

/**
 * The buckets and the event queue one kind of local run uses in moto (the demo's, the chaos run's), named
 * apart so that runs against one moto do not meet.
 */
public record LocalResources(String exportBucket, String exportPrefix, String lakeBucket, String lakePrefix, String queue) {

    /** Creates the buckets and the queue (with its dead-letter queue); returns the queue's URL. */
    public String createIn(DemoAws aws) {
        aws.createBucket(exportBucket);
        aws.createBucket(lakeBucket);
        return aws.createEventQueue(queue);
    }
}
