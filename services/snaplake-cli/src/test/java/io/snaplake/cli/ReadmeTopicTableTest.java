package io.snaplake.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's topic table is the code's topic list, so the two cannot drift apart. */
class ReadmeTopicTableTest {

    private static final String BEGIN = "<!-- topics:begin -->";
    private static final String END = "<!-- topics:end -->";

    @Test
    void readmeTopicTable_equalsTheTopicEnum() throws IOException {
        String readme = Files.readString(Path.of("../../README.md"));
        String table = readme.substring(readme.indexOf(BEGIN) + BEGIN.length(), readme.indexOf(END)).strip();

        assertThat(table)
                .as("README topic table; regenerate with ./snaplake topics")
                .isEqualTo(TopicsCommand.TopicTable.markdown());
    }
}
