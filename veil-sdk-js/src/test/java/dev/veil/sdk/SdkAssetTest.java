package dev.veil.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class SdkAssetTest {

    @Test
    void minified_sdk_is_on_the_class_path_and_smaller_than_its_source() {
        SdkAsset min = SdkAsset.minified();
        SdkAsset src = SdkAsset.source();

        assertThat(min.size()).isPositive().isLessThan(src.size());
        assertThat(new String(min.bytes(), StandardCharsets.UTF_8)).contains("/v1/batch");
    }

    @Test
    void minified_sdk_fits_the_five_kilobyte_gzip_budget() throws IOException {
        var out = new ByteArrayOutputStream();
        try (var gz = new GZIPOutputStream(out)) {
            gz.write(SdkAsset.minified().bytes());
        }
        assertThat(out.size()).isLessThanOrEqualTo(5 * 1024);
    }

    @Test
    void minified_build_drops_the_test_only_internals() {
        assertThat(new String(SdkAsset.minified().bytes(), StandardCharsets.UTF_8))
                .doesNotContain("__VEIL_TEST__");
        assertThat(new String(SdkAsset.source().bytes(), StandardCharsets.UTF_8))
                .contains("__VEIL_TEST__");
    }

    @Test
    void versioned_file_name_carries_the_content_hash() {
        SdkAsset min = SdkAsset.minified();

        assertThat(min.hash()).matches("[0-9a-f]{12}");
        assertThat(min.versionedFileName("p")).isEqualTo("p-" + min.hash() + ".js");
        assertThat(SdkAsset.source().hash()).isNotEqualTo(min.hash());
    }

    @Test
    void a_missing_resource_names_what_to_build() {
        assertThatThrownBy(() -> SdkAsset.load("dev/veil/sdk/nope.js"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("dev/veil/sdk/nope.js")
                .hasMessageContaining("veil-sdk-js");
    }
}
