/// What happens to text wider than its `maxWidth`.
public enum TextOverflow: Equatable, Sendable {
    /// One line, cut at the end with "…".
    case ellipsizeEnd
    /// One line, cut in the middle — keeps a file name's start and its extension.
    case ellipsizeMiddle
    /// Wrapped at word (or, for long words, character) boundaries, at most `maxLines` lines, the
    /// last one ellipsized if more were needed.
    case wrap(maxLines: Int)
}
