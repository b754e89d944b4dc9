package dev.palco.bridge.compose;

/**
 * How the stage is composited.
 *
 * @param widthPx canvas width (even)
 * @param heightPx canvas height (even)
 * @param frameRateFps output pictures per second
 * @param autoLayout what {@link LayoutMode#AUTO} shows without a screen share: GRID or SPEAKER
 * @param speakerHoldMs a new speaker takes over only after the current one held the stage this
 *     long (no flicker when two people talk over each other)
 * @param transitionMs cross-fade between layouts
 * @param freezeHoldMs a track whose pictures stop keeps its last one this long, then shows its name card
 * @param startingText the slate before anyone showed video
 * @param breakText the slate when the stage emptied after video was shown
 */
public record CompositorConfig(int widthPx, int heightPx, int frameRateFps, LayoutMode autoLayout,
        int speakerHoldMs, int transitionMs, int freezeHoldMs, String startingText, String breakText) {

    /** Checks the values. */
    public CompositorConfig {
        if (widthPx < 64 || heightPx < 64 || widthPx % 2 != 0 || heightPx % 2 != 0) {
            throw new IllegalArgumentException("canvas must be even and at least 64x64");
        }
        if (frameRateFps < 1 || frameRateFps > 60) {
            throw new IllegalArgumentException("frame rate out of range: " + frameRateFps);
        }
        if (autoLayout != LayoutMode.GRID && autoLayout != LayoutMode.SPEAKER) {
            throw new IllegalArgumentException("auto layout is GRID or SPEAKER");
        }
        if (speakerHoldMs < 0 || transitionMs < 0 || freezeHoldMs < 0) {
            throw new IllegalArgumentException("negative duration");
        }
    }

    /** 1280x720 at 30 fps, grid, 1.5 s speaker hold, 300 ms cross-fades, 2 s freeze hold. */
    public static CompositorConfig defaults() {
        return new CompositorConfig(1280, 720, 30, LayoutMode.GRID, 1500, 300, 2000, "Starting soon",
                "We'll be right back");
    }

    /** This configuration with another canvas size and frame rate. */
    public CompositorConfig withCanvas(int width, int height, int fps) {
        return new CompositorConfig(width, height, fps, autoLayout, speakerHoldMs, transitionMs, freezeHoldMs,
                startingText, breakText);
    }

    /** This configuration with another automatic layout. */
    public CompositorConfig withAutoLayout(LayoutMode mode) {
        return new CompositorConfig(widthPx, heightPx, frameRateFps, mode, speakerHoldMs, transitionMs, freezeHoldMs,
                startingText, breakText);
    }
}
