package dev.palco.bridge.compose;

/** How the compositor arranges the stage. */
public enum LayoutMode {
    /** Screen share when one is on stage, else the configured default (grid or speaker). */
    AUTO,
    /** Equal tiles, up to 9. */
    GRID,
    /** The active speaker large, everyone else in a filmstrip below. */
    SPEAKER,
    /** A shared screen large, the speakers in a column beside it. */
    SCREEN
}
