package io.snaplake.lab.bench;

/**
 * The copy benchmark's settings, as its options give them.
 *
 * @param objects     part files in the seeded export
 * @param latencyMs   what the latency proxy (and the in-memory store) adds to every request
 * @param concurrency the copier's copies in flight, and the CopyObject loop's
 * @param awsCli      the AWS CLI command
 */
record CopySettings(int objects, int latencyMs, int concurrency, String awsCli) {
}
