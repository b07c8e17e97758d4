package dev.switchboard.rpc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WebUisTest {

    @Test
    void aPathOfPlainSegmentsIsSafe() {
        for (String path : new String[] {"", "index.html", "sub/", "sub/page.html", "a-b_c/d.e.js", "fonts/x.woff2"}) {
            assertThat(WebUis.isSafe(path)).as(path).isTrue();
        }
    }

    @Test
    void dotEmptyHiddenAndOddSegmentsAreNot() {
        for (String path : new String[] {"..", "../x", "sub/../../x", ".", "./x", "/etc/passwd", "sub//x", ".env",
            "sub/.git/config", "..\\x", "c:/x", "x\0.html", "a/".repeat(600)}) {
            assertThat(WebUis.isSafe(path)).as(path).isFalse();
        }
    }

    @Test
    void contentTypesFollowTheExtension() {
        assertThat(StaticFile.contentType("index.HTML")).isEqualTo("text/html;charset=utf-8");
        assertThat(StaticFile.contentType("app.mjs")).isEqualTo("text/javascript;charset=utf-8");
        assertThat(StaticFile.contentType("logo.svg")).isEqualTo("image/svg+xml");
        assertThat(StaticFile.contentType("README")).isEqualTo("application/octet-stream");
        assertThat(StaticFile.contentType("archive.tar.gz")).isEqualTo("application/octet-stream");
    }
}
