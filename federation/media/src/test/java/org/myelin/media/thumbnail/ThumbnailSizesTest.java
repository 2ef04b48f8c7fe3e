package org.myelin.media.thumbnail;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The smallest standard box of the asked method covering the request answers it; larger requests get their own. */
class ThumbnailSizesTest {

    private static ThumbnailBox choose(int w, int h, ThumbnailMethod m) {
        return ThumbnailSizes.choose(new ThumbnailBox(w, h, m));
    }

    @Test
    void requestsShouldMapToTheSmallestCoveringStandardBox() {
        assertThat(choose(1, 1, ThumbnailMethod.CROP)).isEqualTo(new ThumbnailBox(32, 32, ThumbnailMethod.CROP));
        assertThat(choose(32, 32, ThumbnailMethod.CROP)).isEqualTo(new ThumbnailBox(32, 32, ThumbnailMethod.CROP));
        assertThat(choose(33, 10, ThumbnailMethod.CROP)).isEqualTo(new ThumbnailBox(96, 96, ThumbnailMethod.CROP));
        assertThat(choose(96, 96, ThumbnailMethod.SCALE)).isEqualTo(new ThumbnailBox(320, 240, ThumbnailMethod.SCALE));
        assertThat(choose(321, 10, ThumbnailMethod.SCALE)).isEqualTo(new ThumbnailBox(640, 480, ThumbnailMethod.SCALE));
        assertThat(choose(800, 600, ThumbnailMethod.SCALE)).isEqualTo(new ThumbnailBox(800, 600, ThumbnailMethod.SCALE));
    }

    @Test
    void largerRequestsShouldBeMadeOnDemandAtTheirSize() {
        assertThat(choose(97, 97, ThumbnailMethod.CROP)).isEqualTo(new ThumbnailBox(97, 97, ThumbnailMethod.CROP));
        assertThat(choose(801, 600, ThumbnailMethod.SCALE)).isEqualTo(new ThumbnailBox(801, 600, ThumbnailMethod.SCALE));
    }

    @Test
    void scaleShouldFitAndCropShouldFillWithoutUpscaling() {
        var scale = Thumbnailer.Target.of(1600, 1200, new ThumbnailBox(320, 240, ThumbnailMethod.SCALE));
        assertThat(scale.width()).isEqualTo(320);
        assertThat(scale.height()).isEqualTo(240);
        var tall = Thumbnailer.Target.of(1000, 2000, new ThumbnailBox(320, 240, ThumbnailMethod.SCALE));
        assertThat(tall.width()).isEqualTo(120);
        assertThat(tall.height()).isEqualTo(240);
        var crop = Thumbnailer.Target.of(1000, 500, new ThumbnailBox(96, 96, ThumbnailMethod.CROP));
        assertThat(crop.scaledWidth()).isEqualTo(192);
        assertThat(crop.width()).isEqualTo(96);
        assertThat(crop.height()).isEqualTo(96);
        var small = Thumbnailer.Target.of(50, 200, new ThumbnailBox(96, 96, ThumbnailMethod.CROP));
        assertThat(small.width()).isEqualTo(50);
        assertThat(small.height()).isEqualTo(96);
    }
}
