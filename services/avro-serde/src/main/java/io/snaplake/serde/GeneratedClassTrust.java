package io.snaplake.serde;

import org.apache.avro.specific.AvroGenerated;
import org.apache.avro.util.ClassSecurityValidator;

/**
 * Lets Avro load the application's own generated classes. Since Avro 1.12.2 every class Avro loads by
 * name (SpecificData.getClass, SpecificDatumReader/Writer resolving nested records and enums) must pass
 * {@link ClassSecurityValidator}, whose default trusts only JDK value types, so reading into generated
 * classes fails with "Forbidden io.snaplake.events.X" (a known 1.12.2 regression, AVRO-4189 follow-up).
 * Classes carrying {@link AvroGenerated} were written by the Avro compiler from schemas the application
 * ships, so they are trusted, as they were before 1.12.2 and as Quarkus does; every other class is
 * still judged by the validator already installed.
 */
public final class GeneratedClassTrust {

    private static boolean installed;

    private GeneratedClassTrust() {
    }

    /** Idempotent; the serdes call it when loaded. Call it before using SpecificDatumReader/Writer directly. */
    public static synchronized void install() {
        if (installed) {
            return;
        }
        ClassSecurityValidator.ClassSecurityPredicate current = ClassSecurityValidator.getGlobal();
        ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(
                type -> type.isAnnotationPresent(AvroGenerated.class), current));
        installed = true;
    }
}
