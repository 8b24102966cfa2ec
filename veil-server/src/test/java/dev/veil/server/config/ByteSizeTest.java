package dev.veil.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ByteSizeTest {

    @Test
    void parses_binary_units_like_segment_counts_them() {
        assertThat(ByteSize.parse("32KB").bytes()).isEqualTo(32_768);
        assertThat(ByteSize.parse("1 mb").bytes()).isEqualTo(1_048_576);
        assertThat(ByteSize.parse("500").bytes()).isEqualTo(500);
        assertThatThrownBy(() -> ByteSize.parse("1GB")).hasMessageContaining("expected a size like 32KB");
        assertThatThrownBy(() -> ByteSize.parse("0")).hasMessageContaining("at least 1 byte");
    }

    @Test
    void formats_sizes_for_error_messages() {
        assertThat(ByteSize.format(612)).isEqualTo("612 B");
        assertThat(ByteSize.format(512_000)).isEqualTo("500 KB");
        assertThat(ByteSize.format(40_044)).isEqualTo("39.1 KB");
        assertThat(ByteSize.format(2_621_440)).isEqualTo("2.5 MB");
    }
}
