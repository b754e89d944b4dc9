package dev.palco.signaling.audience;

/**
 * One audience chat message; immutable.
 *
 * @param id {@code c-N}
 * @param viewerId who wrote it
 * @param name the name shown with it
 * @param text what it says
 * @param atMillis when it was posted
 */
record ChatMessage(String id, String viewerId, String name, String text, long atMillis) {}
